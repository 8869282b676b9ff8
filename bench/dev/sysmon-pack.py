"""Writes packs/sysmon/pack.toml: Sysmon's Operational log as Winlogbeat 8 ships it (Elastic's sysmon module), templates in
the field layout of the real documents in test/fixtures/reference/windows/sysmon.jsonl. Run: python3 bench/dev/sysmon-pack.py"""
import csv, json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from winlog_common import N, dump, pid_vars, HOST_BLOCK, PROCESS_BLOCK, SESSION_BLOCK
PACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'packs', 'sysmon')


DOM = '{{ param.domain }}'
FQDN = '{{ host.hostname }}.corp.{{ org.domain }}'
SAM = '{{ actor.ad_sam_account_name }}'
LOGON_HEX = '0x{{ logon_id | hexint }}'
TASKS = {'1': 'Process Create (rule: ProcessCreate)', '3': 'Network connection detected (rule: NetworkConnect)', '5': 'Process terminated (rule: ProcessTerminate)',
         '7': 'Image loaded (rule: ImageLoad)', '10': 'Process accessed (rule: ProcessAccess)', '11': 'File created (rule: FileCreate)',
         '13': 'Registry value set (rule: RegistryEvent)', '22': 'Dns query (rule: DnsQuery)', '23': 'File Delete archived (rule: FileDelete)'}
VERSIONS = {'1': 5, '3': 5, '5': 3, '7': 3, '10': 3, '11': 2, '13': 2, '22': 5, '23': 5}

def doc(code, action, category, typ, top, msg, ed=None, winlog_user=None):
    d = {'@timestamp': '{{ time | rfc3339 }}',
         'agent': {'ephemeral_id': '{{ agent_eph }}', 'id': '{{ agent_id }}', 'name': '{{ host.hostname }}', 'type': 'winlogbeat', 'version': '8.17.0'},
         'ecs': {'version': '8.11.0'},
         'event': {'action': action, 'category': category, 'code': code, 'kind': 'event', 'module': 'sysmon', 'provider': 'Microsoft-Windows-Sysmon', 'type': typ},
         'host': {'name': '{{ host.hostname }}'}, 'log': {'level': 'information'}, 'message': msg,
         'winlog': {'api': 'wineventlog', 'channel': 'Microsoft-Windows-Sysmon/Operational', 'computer_name': FQDN, 'event_id': code, 'opcode': 'Info',
                    'process': {'pid': N('sysmon_pid'), 'thread': {'id': N('tid')}}, 'provider_guid': '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}',
                    'provider_name': 'Microsoft-Windows-Sysmon', 'record_id': '{{ rid }}', 'task': TASKS[code],
                    'user': {'domain': 'NT AUTHORITY', 'identifier': 'S-1-5-18', 'name': 'SYSTEM', 'type': 'Well Known Group'}, 'version': VERSIONS[code]}}
    if ed: d['winlog']['event_data'] = ed
    if winlog_user: d['winlog']['user'] = winlog_user
    if action is None: del d['event']['action']
    d.update(top)
    return dump(d)

def proc_refs(p, guid, pid):
    """A process from a sample var p (or a dict of literals) with its GUID and pid vars."""
    if isinstance(p, dict): return p
    return {'image': '{{ %s.image }}' % p, 'name': '{{ %s }}' % p, 'cmd': '{{ %s.command_line }}' % p, 'args': '@@{{ %s.args | raw }}@@' % p,
            'args_count': N('%s.args_count' % p), 'company': '{{ %s.company }}' % p, 'description': '{{ %s.description }}' % p, 'product': '{{ %s.product }}' % p,
            'file_version': '{{ %s.file_version }}' % p, 'original': '{{ %s.original_file_name }}' % p, 'sha1': '{{ %s.sha1 }}' % p, 'sha256': '{{ %s.sha256 }}' % p,
            'md5': '{{ %s.md5 }}' % p, 'imphash': '{{ %s.imphash }}' % p, 'integrity': '{{ %s.integrity }}' % p,
            'parent_image': '{{ %s.parent_image }}' % p, 'parent_name': '{{ %s.parent_name }}' % p, 'guid': guid, 'pid': pid}

USER_ACC = (DOM, '{{ actor.ad_sid }}', SAM)
SYSTEM_ACC = ('NT AUTHORITY', 'S-1-5-18', 'SYSTEM')

def s1(p, parent_guid, parent_pid, acc, workdir, logon_hex, session='1'):
    dom, sid, name = acc
    lower = lambda x: x
    top = {'process': {'args': p['args'], 'args_count': p['args_count'], 'command_line': p['cmd'], 'entity_id': '{%s}' % p['guid'], 'executable': p['image'],
                       'hash': {'md5': p['md5'] + '|lower', 'sha1': p['sha1'] + '|lower', 'sha256': p['sha256'] + '|lower'}, 'name': p['name'],
                       'parent': {'args': [p['parent_image']], 'args_count': 1, 'command_line': p['parent_image'], 'entity_id': '{%s}' % parent_guid,
                                  'executable': p['parent_image'], 'name': p['parent_name'], 'pid': N(parent_pid)},
                       'pe': {'company': p['company'], 'description': p['description'], 'file_version': p['file_version'], 'imphash': p['imphash'] + '|lower',
                              'original_file_name': p['original'], 'product': p['product']},
                       'pid': N(p['pid']), 'working_directory': workdir},
           'related': {'hash': [p['sha1'] + '|lower', p['md5'] + '|lower', p['sha256'] + '|lower', p['imphash'] + '|lower'], 'user': [name]},
           'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    ed = {'Company': p['company'], 'Description': p['description'], 'FileVersion': p['file_version'], 'IntegrityLevel': p['integrity'],
          'LogonGuid': '{{{ logon_guid | upper }}}', 'LogonId': logon_hex, 'Product': p['product'], 'TerminalSessionId': session}
    msg = ('Process Create:\nRuleName: -\nUtcTime: {{ time | datetime_ms }}\n'
           f"ProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\nFileVersion: {p['file_version']}\nDescription: {p['description']}\nProduct: {p['product']}\n"
           f"Company: {p['company']}\nOriginalFileName: {p['original']}\nCommandLine: {p['cmd']}\nCurrentDirectory: {workdir}\nUser: {dom}\\{name}\n"
           f"LogonGuid: {{{{{{ logon_guid | upper }}}}}}\nLogonId: {logon_hex}\nTerminalSessionId: {session}\nIntegrityLevel: {p['integrity']}\n"
           f"Hashes: SHA1={p['sha1']},MD5={p['md5']},SHA256={p['sha256']},IMPHASH={p['imphash']}\nParentProcessGuid: {{{parent_guid}}}\nParentProcessId: {{{{ {parent_pid} }}}}\nParentImage: {p['parent_image']}\n"
           f"ParentCommandLine: {p['parent_image']}\nParentUser: {dom}\\{name}")
    return doc('1', 'Process creation', ['process'], ['start'], top, msg, ed)

def proc_short(p, extra=None):
    d = {'entity_id': '{%s}' % p['guid'], 'executable': p['image'], 'name': p['name'], 'pid': N(p['pid'])}
    if extra: d.update(extra)
    return d

def s5(p, acc):
    dom, sid, name = acc
    msg = f"Process terminated:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\nUser: {dom}\\{name}"
    return doc('5', 'Process terminated (rule: ProcessTerminate)', ['process'], ['end'], {'process': proc_short(p), 'user': {'id': 'S-1-5-18'}}, msg)

def s22(p, acc):
    dom, sid, name = acc
    q = '{{ %s.domain }}' % p['var']
    top = {'dns': {'answers': [{'data': '{{ %s.ip }}' % p['var'], 'type': 'A'}], 'question': {'name': q, 'registered_domain': '{{ %s.registered_domain }}' % p['var'],
                   'subdomain': '{{ %s.subdomain }}' % p['var'], 'top_level_domain': '{{ %s.tld }}' % p['var']}, 'resolved_ip': ['{{ %s.ip }}' % p['var']]},
           'network': {'protocol': 'dns'}, 'process': proc_short(p), 'related': {'hosts': [q], 'ip': ['{{ %s.ip }}' % p['var']], 'user': [name]},
           'sysmon': {'dns': {'status': 'SUCCESS'}}, 'user': {'id': 'S-1-5-18'}}
    top['related'].pop('user')
    msg = (f"Dns query:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nQueryName: {q}\nQueryStatus: 0\n"
           f"QueryResults: ::ffff:{{{{ {p['var']}.ip }}}};\nImage: {p['image']}\nUser: {dom}\\{name}")
    return doc('22', 'Dns query (rule: DnsQuery)', ['network'], ['connection', 'protocol', 'info'], top, msg, winlog_user={'identifier': 'S-1-5-18'})

def s3(p, acc):
    dom, sid, name = acc
    dst = '{{ %s.ip }}' % p['var']
    src = '{{ host.ip }}'
    top = {'destination': {'ip': dst, 'port': 443},
           'network': {'direction': 'egress', 'protocol': 'https', 'transport': 'tcp', 'type': 'ipv4'},
           'process': proc_short(p), 'related': {'ip': [src, dst], 'user': [name]}, 'source': {'domain': '{{ host.hostname }}.corp.{{ org.domain }}', 'ip': src, 'port': N('src_port')},
           'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    msg = (f"Network connection detected:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\n"
           f"User: {dom}\\{name}\nProtocol: tcp\nInitiated: true\nSourceIsIpv6: false\nSourceIp: {src}\nSourceHostname: {{{{ host.hostname }}}}.corp.{{{{ org.domain }}}}\nSourcePort: {{{{ src_port }}}}\nSourcePortName: -\n"
           f"DestinationIsIpv6: false\nDestinationIp: {dst}\nDestinationHostname: {{{{ {p['var']}.domain }}}}\nDestinationPort: 443\nDestinationPortName: https")
    return doc('3', 'Network connection detected (rule: NetworkConnect)', ['network'], ['start', 'connection', 'protocol'], top, msg)

def s11(p, acc, path, directory, fname, ext):
    dom, sid, name = acc
    top = {'file': {'directory': directory, 'extension': ext, 'name': fname, 'path': path}, 'process': proc_short(p), 'related': {'user': [name]},
           'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    msg = (f"File created:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\n"
           f"TargetFilename: {path}\nCreationUtcTime: {{{{ time | datetime_ms }}}}\nUser: {dom}\\{name}")
    return doc('11', 'File created (rule: FileCreate)', ['file'], ['creation'], top, msg)

def s23(p, acc, path, directory, fname, ext):
    dom, sid, name = acc
    top = {'file': {'directory': directory, 'extension': ext, 'name': fname, 'path': path},
           'process': proc_short(p, {'hash': {'md5': p['md5'] + '|lower', 'sha1': p['sha1'] + '|lower'}, 'pe': {'imphash': p['imphash'] + '|lower'}}),
           'related': {'hash': [p['md5'] + '|lower', p['imphash'] + '|lower'], 'user': [name]}, 'sysmon': {'file': {'archived': True, 'is_executable': False}},
           'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    msg = (f"File Delete archived:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nUser: {dom}\\{name}\nImage: {p['image']}\n"
           f"TargetFilename: {path}\nHashes: MD5={p['md5']},IMPHASH={p['imphash']}\nIsExecutable: false\nArchived: true")
    return doc('23', None, ['file'], ['deletion'], top, msg)

def s13(p, acc):
    dom, sid, name = acc
    key = '{{ actor.ad_sid }}\\\\{{ reg.key }}'
    key_txt = '{{ actor.ad_sid }}\\{{ reg.key }}'
    top = {'process': proc_short(p), 'registry': {'data': {'strings': ['{{ reg.data }}'], 'type': '{{ reg.type }}'}, 'hive': 'HKU', 'key': '{{ actor.ad_sid }}\\{{ reg.key }}',
                                                'path': 'HKU\\{{ actor.ad_sid }}\\{{ reg.key }}\\{{ reg.value }}', 'value': '{{ reg.value }}'},
           'related': {'user': [name]}, 'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    msg = (f"Registry value set:\nRuleName: -\nEventType: SetValue\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\n"
           f"TargetObject: HKU\\{{{{ actor.ad_sid }}}}\\{{{{ reg.key }}}}\\{{{{ reg.value }}}}\nDetails: {{{{ reg.details }}}}\nUser: {dom}\\{name}")
    return doc('13', 'RegistryEvent (Value Set)', ['configuration', 'registry'], ['change'], top, msg, {'EventType': 'SetValue'})

def s7(p, acc):
    dom, sid, name = acc
    d = 'dll'
    f = {'code_signature': {'status': 'Valid', 'subject_name': '{{ dll.signer }}', 'valid': True}, 'directory': '{{ dll.directory }}', 'extension': 'dll',
         'hash': {'md5': '{{ dll.md5 | lower }}', 'sha1': '{{ dll.sha1 | lower }}', 'sha256': '{{ dll.sha256 | lower }}'}, 'name': '{{ dll }}', 'path': '{{ dll.directory }}\\{{ dll }}',
         'pe': {'company': '{{ dll.company }}', 'description': '{{ dll.description }}', 'file_version': '{{ dll.file_version }}', 'imphash': '{{ dll.imphash | lower }}',
                'original_file_name': '{{ dll.original_file_name }}', 'product': '{{ dll.product }}'}}
    dll = {'code_signature': {'status': 'Valid', 'subject_name': '{{ dll.signer }}', 'valid': True}, 'hash': f['hash'], 'name': '{{ dll }}', 'path': f['path'], 'pe': f['pe']}
    top = {'dll': dll, 'file': f, 'process': proc_short(p), 'related': {'hash': ['{{ dll.sha256 | lower }}', '{{ dll.sha1 | lower }}', '{{ dll.md5 | lower }}', '{{ dll.imphash | lower }}'], 'user': [name]},
           'user': {'domain': dom, 'id': 'S-1-5-18', 'name': name}}
    ed = {'Company': '{{ dll.company }}', 'Description': '{{ dll.description }}', 'FileVersion': '{{ dll.file_version }}', 'Product': '{{ dll.product }}',
          'Signature': '{{ dll.signer }}', 'SignatureStatus': 'Valid', 'Signed': 'true'}
    msg = (f"Image loaded:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nProcessGuid: {{{p['guid']}}}\nProcessId: {{{{ {p['pid']} }}}}\nImage: {p['image']}\n"
           "ImageLoaded: {{ dll.directory }}\\{{ dll }}\nFileVersion: {{ dll.file_version }}\nDescription: {{ dll.description }}\nProduct: {{ dll.product }}\nCompany: {{ dll.company }}\n"
           "OriginalFileName: {{ dll.original_file_name }}\nHashes: SHA1={{ dll.sha1 }},MD5={{ dll.md5 }},SHA256={{ dll.sha256 }},IMPHASH={{ dll.imphash }}\nSigned: true\nSignature: {{ dll.signer }}\n"
           f"SignatureStatus: Valid\nUser: {dom}\\{name}")
    return doc('7', 'Image loaded', ['process'], ['change'], top, msg, ed)

def s10(p, acc):
    dom, sid, name = acc
    ed = {'CallTrace': 'C:\\Windows\\SYSTEM32\\ntdll.dll+a0fb4|C:\\Windows\\System32\\KERNELBASE.dll+485d2|C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpSvc.dll+1c4e2a',
          'GrantedAccess': '0x1000', 'TargetImage': p['image'], 'TargetProcessGUID': '{%s}' % p['guid'], 'TargetProcessId': '{{ %s }}' % p['pid']}
    msg = (f"Process accessed:\nRuleName: -\nUtcTime: {{{{ time | datetime_ms }}}}\nSourceProcessGUID: {{{{{{ defender_guid | upper }}}}}}\nSourceProcessId: {{{{ defender_pid }}}}\nSourceThreadId: {{{{ tid }}}}\n"
           "SourceImage: C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe\n"
           f"TargetProcessGUID: {{{p['guid']}}}\nTargetProcessId: {{{{ {p['pid']} }}}}\nTargetImage: {p['image']}\nGrantedAccess: 0x1000\nCallTrace: {ed['CallTrace']}\n"
           f"SourceUser: NT AUTHORITY\\SYSTEM\nTargetUser: {dom}\\{name}")
    return doc('10', 'Process accessed (rule: ProcessAccess)', ['process'], ['access'], {'user': {'id': 'S-1-5-18'}}, msg, ed)

def s10_attack(acc):
    """An attacker's process opening LSASS's memory (credential dumping): the attacker's tool as source, lsass as target."""
    dom, sid, name = acc
    trace = 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|{{ atk_calltrace }}'
    ed = {'CallTrace': trace, 'GrantedAccess': '{{ atk_access }}', 'TargetImage': 'C:\\Windows\\system32\\lsass.exe', 'TargetProcessGUID': '{{{ lsass_guid | upper }}}', 'TargetProcessId': '{{ lsass_pid }}'}
    msg = ("Process accessed:\nRuleName: -\nUtcTime: {{ time | datetime_ms }}\nSourceProcessGUID: {{{ atk_guid | upper }}}\nSourceProcessId: {{ atk_pid }}\nSourceThreadId: {{ tid }}\n"
           "SourceImage: {{ atk_image }}\nTargetProcessGUID: {{{ lsass_guid | upper }}}\nTargetProcessId: {{ lsass_pid }}\nTargetImage: C:\\Windows\\system32\\lsass.exe\n"
           f"GrantedAccess: {{{{ atk_access }}}}\nCallTrace: {trace}\nSourceUser: {dom}\\{name}\nTargetUser: NT AUTHORITY\\SYSTEM")
    return doc('10', 'Process accessed (rule: ProcessAccess)', ['process'], ['access'], {'user': {'id': 'S-1-5-18'}}, msg, ed)

def fix_lower(s):
    # "{{ x }}|lower" marks a hash shown in lower case: move the filter inside the placeholder.
    import re
    return re.sub(r'\{\{ ([^}]+?) \}\}\|lower', r'{{ \1 | lower }}', s)

APP = proc_refs('app', '{{ app_guid | upper }}', 'proc_pid'); APP['var'] = 'app'
DEV = proc_refs('dev', '{{ app_guid | upper }}', 'proc_pid'); DEV['var'] = 'dev'
# Programs that open no connection of their own (notepad, Snipping Tool, Task Manager: sample column net = no) and the
# browsers' main processes, which write the downloads (column download = yes; not Office, notepad or a renderer).
LOCAL = proc_refs('local', '{{ app_guid | upper }}', 'proc_pid'); LOCAL['var'] = 'local'
BROWSER = proc_refs('browser', '{{ app_guid | upper }}', 'proc_pid'); BROWSER['var'] = 'browser'
SYS = proc_refs('sys', '{{ app_guid | upper }}', 'proc_pid'); SYS['var'] = 'sys'
USERINIT = {'image': 'C:\\Windows\\System32\\userinit.exe', 'name': 'userinit.exe', 'cmd': 'C:\\Windows\\system32\\userinit.exe', 'args': ['C:\\Windows\\system32\\userinit.exe'], 'args_count': 1,
            'company': 'Microsoft Corporation', 'description': 'Userinit Logon Application', 'product': 'Microsoft® Windows® Operating System', 'file_version': '10.0.22621.1 (WinBuild.160101.0800)',
            'original': 'USERINIT.EXE', 'sha1': '{{ userinit_sha1 | upper }}', 'sha256': '{{ userinit_sha256 | upper }}', 'md5': '{{ userinit_md5 | upper }}',
            'imphash': '{{ userinit_imphash | upper }}', 'integrity': 'Medium',
            'parent_image': 'C:\\Windows\\System32\\winlogon.exe', 'parent_name': 'winlogon.exe', 'guid': '{{ userinit_guid | upper }}', 'pid': 'userinit_pid'}
EXPLORER = dict(USERINIT, image='C:\\Windows\\explorer.exe', name='explorer.exe', cmd='C:\\Windows\\Explorer.EXE', args=['C:\\Windows\\Explorer.EXE'], description='Windows Explorer',
                original='EXPLORER.EXE', sha1='{{ explorer_sha1 | upper }}', sha256='{{ explorer_sha256 | upper }}', md5='{{ explorer_md5 | upper }}', imphash='{{ explorer_imphash | upper }}', parent_image='C:\\Windows\\System32\\userinit.exe', parent_name='userinit.exe',
                guid='{{ explorer_guid | upper }}', pid='explorer_pid')
WORKDIR = 'C:\\Users\\{{ actor.ad_sam_account_name }}\\'
R = {}
R['userinit'] = s1(USERINIT, '{{ winlogon_guid | upper }}', 'winlogon_pid', USER_ACC, 'C:\\Windows\\system32\\', LOGON_HEX)
R['explorer'] = s1(EXPLORER, '{{ userinit_guid | upper }}', 'userinit_pid', USER_ACC, 'C:\\Windows\\system32\\', LOGON_HEX)
R['app_1'] = s1(APP, '{{ explorer_guid | upper }}', 'explorer_pid', USER_ACC, WORKDIR, LOGON_HEX)
R['app_22'] = s22(APP, USER_ACC)
R['app_3'] = s3(APP, USER_ACC)
R['app_7'] = s7(APP, USER_ACC)
R['app_10'] = s10(APP, USER_ACC)
R['app_13'] = s13(APP, USER_ACC)
R['app_11'] = s11(APP, USER_ACC, 'C:\\Users\\{{ actor.ad_sam_account_name }}\\AppData\\Local\\Temp\\{{ tmp_name }}.tmp', 'C:\\Users\\{{ actor.ad_sam_account_name }}\\AppData\\Local\\Temp', '{{ tmp_name }}.tmp', 'tmp')
R['app_23'] = s23(APP, USER_ACC, 'C:\\Users\\{{ actor.ad_sam_account_name }}\\AppData\\Local\\Temp\\{{ tmp_name }}.tmp', 'C:\\Users\\{{ actor.ad_sam_account_name }}\\AppData\\Local\\Temp', '{{ tmp_name }}.tmp', 'tmp')
R['local_1'] = s1(LOCAL, '{{ explorer_guid | upper }}', 'explorer_pid', USER_ACC, WORKDIR, LOGON_HEX)
R['local_7'] = s7(LOCAL, USER_ACC)
R['local_13'] = s13(LOCAL, USER_ACC)
R['local_10'] = s10(LOCAL, USER_ACC)
R['local_5'] = s5(LOCAL, USER_ACC)
R['browser_22'] = s22(BROWSER, USER_ACC)
R['browser_3'] = s3(BROWSER, USER_ACC)
R['download_11'] = s11(BROWSER, USER_ACC, 'C:\\Users\\{{ actor.ad_sam_account_name }}\\Downloads\\{{ download }}', 'C:\\Users\\{{ actor.ad_sam_account_name }}\\Downloads', '{{ download }}', '{{ download.extension }}')
R['app_5'] = s5(APP, USER_ACC)
R['dev_1'] = s1(DEV, '{{ explorer_guid | upper }}', 'explorer_pid', USER_ACC, WORKDIR, LOGON_HEX)
R['dev_22'] = s22(DEV, USER_ACC)
R['dev_3'] = s3(DEV, USER_ACC)
R['dev_5'] = s5(DEV, USER_ACC)
R['sys_1'] = s1(SYS, '{{ services_guid | upper }}', 'services_pid', SYSTEM_ACC, 'C:\\Windows\\system32\\', '0x3e7', session='0')
R['sys_22'] = s22(SYS, SYSTEM_ACC)
R['sys_3'] = s3(SYS, SYSTEM_ACC)
R['sys_13'] = s13(SYS, USER_ACC)
R['sys_5'] = s5(SYS, SYSTEM_ACC)
# Written only by attack scenarios (weight 0): the attacker's processes, their access to LSASS, the files they write.
ATK = {'image': '{{ atk_image }}', 'name': '{{ atk_name }}', 'cmd': '{{ atk_cmd }}', 'args': '@@{{ atk_args | raw }}@@', 'args_count': N('atk_args_count'),
       'company': '{{ atk_company }}', 'description': '{{ atk_description }}', 'product': '{{ atk_product }}', 'file_version': '{{ atk_file_version }}',
       'original': '{{ atk_original }}', 'sha1': '{{ atk_sha1 | upper }}', 'sha256': '{{ atk_sha256 | upper }}', 'md5': '{{ atk_md5 | upper }}', 'imphash': '{{ atk_imphash | upper }}',
       'integrity': '{{ atk_integrity }}', 'parent_image': '{{ atk_parent_image }}', 'parent_name': '{{ atk_parent_name }}', 'guid': '{{ atk_guid | upper }}', 'pid': 'atk_pid'}
R['attack_1'] = s1(ATK, '{{ atk_parent_guid | upper }}', 'atk_parent_pid', USER_ACC, WORKDIR, LOGON_HEX)
R['attack_svc_1'] = s1(ATK, '{{ atk_parent_guid | upper }}', 'atk_parent_pid', SYSTEM_ACC, 'C:\\Windows\\system32\\', '0x3e7', session='0')
R['attack_10'] = s10_attack(USER_ACC)
R['attack_11'] = s11(ATK, USER_ACC, '{{ atk_file_dir }}\\{{ atk_file_name }}', '{{ atk_file_dir }}', '{{ atk_file_name }}', '{{ atk_file_ext }}')
R['attack_svc_11'] = s11(ATK, SYSTEM_ACC, '{{ atk_file_dir }}\\{{ atk_file_name }}', '{{ atk_file_dir }}', '{{ atk_file_name }}', '{{ atk_file_ext }}')
R = {k: fix_lower(v) for k, v in R.items()}

EVENTS = []
def ev(name, weight, keys, **kw):
    lines = ['[[events]]', f'name = "{name}"', f'weight = {weight}'] + [f'{k} = {json.dumps(v)}' for k, v in kw.items()]
    lines.append('records = [\n' + ''.join("  '''%s''',\n" % R[k] for k in keys) + ']\n')
    EVENTS.append('\n'.join(lines))

ev('logon', 1, ['userinit', 'explorer'], **{'from': 'off'}, to='on', gaps_ms=[1100])
# A program's run: its own connections only for programs that make them (the sample's net column); the 10 of the
# earlier single event split by the sample's weights.
APPS = list(csv.DictReader(open(os.path.join(PACK, 'samples', 'user_apps.csv'), newline='')))
LOCAL_SHARE = sum(float(r['weight']) for r in APPS if r['net'] == 'no') / sum(float(r['weight']) for r in APPS)
ev('app', round(10 * (1 - LOCAL_SHARE), 3), ['app_1', 'app_7', 'app_22', 'app_3', 'app_13', 'app_10', 'app_5'], **{'from': 'on'}, gaps_ms=['load_ms', 'dns_ms', 'connect_ms', 'reg_ms', 'access_ms', 'lifetime_ms'])
ev('app_local', round(10 * LOCAL_SHARE, 3), ['local_1', 'local_7', 'local_13', 'local_10', 'local_5'], **{'from': 'on'}, gaps_ms=['load_ms', 'reg_ms', 'access_ms', 'lifetime_ms'])
ev('app_temp_file', 4, ['app_11', 'app_23'], **{'from': 'on'}, gaps_ms=['lifetime_ms'])
ev('download', 0.6, ['browser_22', 'browser_3', 'download_11'], **{'from': 'on'}, gaps_ms=['dns_ms', 'download_ms'])
ev('dev_tool', 5, ['dev_1', 'dev_22', 'dev_3', 'dev_5'], roles=['admin', 'developer'], **{'from': 'on'}, gaps_ms=['dns_ms', 'connect_ms', 'lifetime_ms'])
ev('attack_process', 0, ['attack_1'])
ev('attack_lsass_access', 0, ['attack_10'])
ev('attack_file', 0, ['attack_11'])
ev('attack_service_process', 0, ['attack_svc_1'], host_roles=['file', 'dc'])
ev('attack_service_file', 0, ['attack_svc_11'], host_roles=['file', 'dc'])
ev('system_task', 3.5, ['sys_1', 'sys_22', 'sys_3', 'sys_13', 'sys_5'], **{'from': 'on'}, gaps_ms=['dns_ms', 'connect_ms', 'reg_ms', 'lifetime_ms'])

MANIFEST = '''# Sysmon's Operational log (Microsoft-Windows-Sysmon/Operational) as Winlogbeat 8 ships it through Elastic's sysmon
# module, for the people with a Windows workstation, with a tuned configuration's mix: process creation (1) and
# termination (5) in trees that start at the session's userinit and explorer, the DNS queries (22) and connections (3)
# of the programs, the DLLs they load (7), the registry values they set (13), temporary files created and deleted
# (11, 23), downloads (11), Defender scanning them (10). A session's logon id, its logon GUID and explorer's pid are
# those the windows-security pack shows for the same session (values per working session). Hashes are illustrative
# (derived from the image path), not the real files'.
# Templates follow the field layout of the real documents in test/fixtures/reference/windows/sysmon.jsonl (generated
# by bench/dev/sysmon-pack.py).
name = "sysmon"
description = "Sysmon Operational log (Winlogbeat 8, ECS) of the Windows workstations"
format = "json"
# A record's id in scenario labels: <computer>:<record id> (the event log's own numbering, per host).
record_id = '"computer_name":"([^"]+)".*?"record_id":"(\\d+)"'
actors = "people"
actors_where = { workstation_os = "Windows 11" }
share = 3
alone_share = 3
states = ["off", "on"]
state_scope = "session"

[params.domain]
default = "CORP"
description = "the Active Directory domain's NetBIOS name"

[samples.user_apps]
file = "samples/user_apps.csv"
weight = "weight"
[samples.dev_tools]
file = "samples/dev_tools.csv"
weight = "weight"
[samples.system_processes]
file = "samples/system_processes.csv"
weight = "weight"
[samples.dlls]
file = "samples/dlls.csv"
weight = "weight"
[samples.registry]
file = "samples/registry.csv"
weight = "weight"
[samples.downloads]
file = "samples/downloads.csv"
weight = "weight"

''' + HOST_BLOCK + pid_vars({'sysmon': (600, 1200), 'services': (140, 240), 'winlogon': (120, 400), 'defender': (800, 1500), 'lsass': (150, 260)}) + '''[vars.services_guid]
uuid = "host"
[vars.winlogon_guid]
uuid = "host"
[vars.defender_guid]
uuid = "host"
[vars.lsass_guid]
uuid = "host"
[vars.userinit_sha1]
const = "58ae1a94b2a1a0f4bd5ea1a1fa9ee0a0bda5f5c2"
[vars.userinit_sha256]
const = "c1d0d6e7b9f0d1b6bbd0e1a24b5b8f3b3a4a3e4d6a1e6b0a9c7f3e7d1a2b4c5d"
[vars.explorer_sha1]
const = "2a4b9a9ab5f5f1e04e7a32c1d1a7b0d2e6f2c3b4"
[vars.explorer_sha256]
const = "9e1c7c62a5d64bb6f5aa3b7e33ad8c1b7e2f5a4d9c0b1e2f3a4b5c6d7e8f9a0b"
[vars.userinit_md5]
const = "5b7a3c9e1d2f4a6b8c0d1e2f3a4b5c6d"
[vars.userinit_imphash]
const = "b16b4c4c3e1f2a0d9e8c7b6a5f4e3d2c"
[vars.explorer_md5]
const = "e4a3f0b1c2d3e4f5a6b7c8d9e0f1a2b3"
[vars.explorer_imphash]
const = "7c1d5e6f8a9b0c1d2e3f4a5b6c7d8e9f"

''' + SESSION_BLOCK + PROCESS_BLOCK.replace('[vars.app]\nsample = "user_apps"\ncolumn = "name"\n', '[vars.app]\nsample = "user_apps"\ncolumn = "name"\nwhere = { net = "yes" }\n') + '''[vars.local]
sample = "user_apps"
column = "name"
where = { net = "no" }
[vars.browser]
sample = "user_apps"
column = "name"
where = { download = "yes" }
[vars.explorer_guid]
uuid = "session"
[vars.userinit_guid]
uuid = "session"

# Per event.
[vars.app_guid]
uuid = true
[vars.src_port]
int = { min = 49152, max = 65535 }
[vars.tmp_name]
hex = 8
[vars.load_ms]
lognormal = { median = 30, sigma = 0.8, min = 1, max = 2000 }
[vars.dns_ms]
lognormal = { median = 200, sigma = 1.0, min = 2, max = 20000 }
[vars.connect_ms]
lognormal = { median = 40, sigma = 0.8, min = 1, max = 3000 }
[vars.reg_ms]
lognormal = { median = 1500, sigma = 1.2, min = 5, max = 120000 }
[vars.access_ms]
lognormal = { median = 800, sigma = 1.0, min = 5, max = 60000 }
[vars.download_ms]
lognormal = { median = 4000, sigma = 1.2, min = 100, max = 600000 }
[vars.dll]
sample = "dlls"
column = "name"
[vars.reg]
sample = "registry"
column = "value"
[vars.download]
sample = "downloads"
column = "name"

# An attack scenario's process, its parent, its access to LSASS and the file it writes: src/scenarios/ sets them per
# step (these defaults are never written: the events that show them have weight 0).
[vars.atk_guid]
uuid = true
[vars.atk_q]
int = { min = 500, max = 4000 }
[vars.atk_pid]
expr = "atk_q * 4"
[vars.atk_parent_guid]
uuid = true
[vars.atk_parent_q]
int = { min = 500, max = 4000 }
[vars.atk_parent_pid]
expr = "atk_parent_q * 4"
''' + ''.join(f'[vars.atk_{k}]\nconst = {json.dumps(v)}\n' for k, v in [
    ('image', 'C:\\Windows\\System32\\cmd.exe'), ('name', 'cmd.exe'), ('cmd', 'cmd.exe'), ('args', '["cmd.exe"]'), ('args_count', 1),
    ('company', 'Microsoft Corporation'), ('description', 'Windows Command Processor'), ('product', 'Microsoft® Windows® Operating System'),
    ('file_version', '10.0.22621.1 (WinBuild.160101.0800)'), ('original', 'Cmd.Exe'), ('sha1', '-'), ('sha256', '-'), ('md5', '-'), ('imphash', '2f4e9ab07c1d5e3a8b6f0c9d7e2a4b1c'), ('integrity', 'Medium'),
    ('parent_image', 'C:\\Windows\\explorer.exe'), ('parent_name', 'explorer.exe'), ('access', '0x1010'), ('calltrace', 'UNKNOWN(00000000)'),
    ('file_dir', 'C:\\Users\\Public'), ('file_name', '-'), ('file_ext', '-')]) + '''
'''
open(os.path.join(PACK, 'pack.toml'), 'w').write(MANIFEST + '\n\n'.join(e for e in EVENTS if e) + '\n')
print('written', len(R), 'records')
