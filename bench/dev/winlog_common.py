"""What the Windows pack generators (windows-security-pack.py, sysmon-pack.py) share: JSON templates with number
placeholders, and the manifest blocks both packs must define alike — the per-host agent and record ids, and the
per-session values (logon id, logon GUID, explorer) that tie a session's Security and Sysmon records together."""
import json


def N(name):
    """A number placeholder: written without quotes."""
    return '@@{{ %s }}@@' % name


def sort(d):
    if isinstance(d, dict):
        return {k: sort(d[k]) for k in sorted(d)}
    if isinstance(d, list):
        return [sort(x) for x in d]
    return d


def dump(d):
    """A document as one compact JSON template, keys sorted as Elastic stores them."""
    s = json.dumps(sort(d), ensure_ascii=False, separators=(',', ':')).replace('"@@', '').replace('@@"', '')
    assert "'''" not in s
    return s


def pid_vars(names):
    """Per-host pids (multiples of 4, as Windows hands them out): {name: (least/4, most/4)}."""
    out = []
    for name, (lo, hi) in names.items():
        out.append(f'[vars.{name}_q]\nint = {{ min = {lo}, max = {hi}, per = "host" }}\n[vars.{name}_pid]\nexpr = "{name}_q * 4"')
    return '\n'.join(out) + '\n'


HOST_BLOCK = '''# Per host (the record's): the event log's record ids and the agent.
[vars.rid]
counter = { scope = "host", start = 1000, per = "record" }
[vars.agent_id]
uuid = "host"
[vars.agent_eph]
uuid = "host"
[vars.tid_q]
int = { min = 20, max = 3000 }
[vars.tid]
expr = "tid_q * 4"
'''

SESSION_BLOCK = '''# Per working session, the same in every Windows pack of the run (drawn from the seed, the person and the
# session): the logon id, the logon GUID of its Kerberos tickets, explorer's and userinit's pids.
[vars.logon_id]
int = { min = 1000000, max = 900000000, per = "session" }
[vars.logon_guid]
uuid = "session"
[vars.explorer_q]
int = { min = 1000, max = 4000, per = "session" }
[vars.explorer_pid]
expr = "explorer_q * 4"
[vars.userinit_pid]
expr = "explorer_q * 4 - 96"
'''

PROCESS_BLOCK = '''# Per event: a program of the person's (or a service's), its pid and how long it runs.
[vars.app]
sample = "user_apps"
column = "name"
[vars.dev]
sample = "dev_tools"
column = "name"
[vars.sys]
sample = "system_processes"
column = "name"
[vars.proc_q]
int = { min = 500, max = 9000 }
[vars.proc_pid]
expr = "proc_q * 4"
[vars.lifetime_ms]
lognormal = { median = 45000, sigma = 1.8, min = 150, max = 28800000 }
'''
