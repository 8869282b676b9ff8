import json, csv, io, re, sys
import os, sys as _sys
_sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from winlog_common import N, dump, pid_vars, HOST_BLOCK, PROCESS_BLOCK, SESSION_BLOCK
import os
PACK=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'packs', 'windows-security')


REALM = 'CORP.{{ org.domain | upper }}'
FQDN = '{{ host.hostname }}.corp.{{ org.domain }}'
DOM = '{{ param.domain }}'
HEX_LOGON = '0x{{ logon_id | hexint }}'
HEX_LOGON_UP = '0x{{ logon_id | hexint | upper }}'

def doc(code, action, category, typ, outcome, task, ed, top=None, logon=None, version=None, msg=None, tags=None, activity=False, winlog_extra=None):
    d = {
        '@timestamp': '{{ time | rfc3339 }}',
        'agent': {'ephemeral_id': '{{ agent_eph }}', 'id': '{{ agent_id }}', 'name': '{{ host.hostname }}', 'type': 'winlogbeat', 'version': '8.17.0'},
        'ecs': {'version': '8.11.0'},
        'event': {'action': action, 'category': category if isinstance(category, list) else [category], 'code': code, 'kind': 'event', 'module': 'security', 'outcome': outcome,
                  'provider': 'Microsoft-Windows-Security-Auditing', 'type': typ if isinstance(typ, list) else [typ]},
        'host': {'name': '{{ host.hostname }}'},
        'log': {'level': 'information'},
        'winlog': {'api': 'wineventlog', 'channel': 'Security', 'computer_name': FQDN, 'event_data': ed, 'event_id': code,
                   'keywords': ['Audit Success' if outcome == 'success' else 'Audit Failure'], 'level': 'information', 'opcode': 'Info',
                   'outcome': outcome, 'process': {'pid': N('lsass_pid'), 'thread': {'id': N('tid')}},
                   'provider_guid': '{54849625-5478-4994-a5ba-3e3b0328c30d}', 'provider_name': 'Microsoft-Windows-Security-Auditing',
                   'record_id': '{{ rid }}', 'task': task, 'time_created': '{{ time | rfc3339 }}'},
    }
    if msg: d['message'] = msg
    if top: d.update(top)
    if logon: d['winlog']['logon'] = logon
    if version: d['winlog']['version'] = version
    if tags: d['tags'] = tags
    if activity: d['winlog']['activity_id'] = '{{{ activity_id | upper }}}'
    if winlog_extra: d['winlog'].update(winlog_extra)
    out = dump(d)
    DOCS[out] = d
    return out

# The document behind each template, for its rendered-XML twin (windows-security-xml).
DOCS = {}

# ---- 4624 ----
LOGON_TYPE_NAME = {'2': 'Interactive', '3': 'Network', '5': 'Service', '7': 'Unlock', '10': 'RemoteInteractive', '11': 'CachedInteractive'}
MSG_4624 = ("An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\t{ssid}\n\tAccount Name:\t\t{sname}\n\tAccount Domain:\t\t{sdom}\n\tLogon ID:\t\t{slogon}\n\n"
 "Logon Information:\n\tLogon Type:\t\t{ltype}\n\tRestricted Admin Mode:\t-\n\tVirtual Account:\t\tNo\n\tElevated Token:\t\t{elev}\n\nImpersonation Level:\t\tImpersonation\n\n"
 "New Logon:\n\tSecurity ID:\t\t{tsid}\n\tAccount Name:\t\t{tname}\n\tAccount Domain:\t\t{tdom}\n\tLogon ID:\t\t{tlogon}\n\tLinked Logon ID:\t\t0x0\n\tNetwork Account Name:\t-\n\tNetwork Account Domain:\t-\n\tLogon GUID:\t\t{guid}\n\n"
 "Process Information:\n\tProcess ID:\t\t{pidhex}\n\tProcess Name:\t\t{pname}\n\nNetwork Information:\n\tWorkstation Name:\t{wks}\n\tSource Network Address:\t{ip}\n\tSource Port:\t\t{port}\n\n"
 "Detailed Authentication Information:\n\tLogon Process:\t\t{lproc}\n\tAuthentication Package:\t{auth}\n\tTransited Services:\t-\n\tPackage Name (NTLM only):\t{lm}\n\tKey Length:\t\t{klen}\n\n"
 "This event is generated when a logon session is created. It is generated on the computer that was accessed.\n\nThe subject fields indicate the account on the local system which requested the logon. This is most commonly a service such as the Server service, or a local process such as Winlogon.exe or Services.exe.\n\nThe logon type field indicates the kind of logon that occurred. The most common types are 2 (interactive) and 3 (network).\n\nThe New Logon fields indicate the account for whom the new logon was created, i.e. the account that was logged on.\n\nThe network fields indicate where a remote logon request originated. Workstation name is not always available and may be left blank in some cases.\n\nThe impersonation level field indicates the extent to which a process in the logon session can impersonate.\n\nThe authentication information fields provide detailed information about this specific logon request.\n\t- Logon GUID is a unique identifier that can be used to correlate this event with a KDC event.\n\t- Transited services indicate which intermediate services have participated in this logon request.\n\t- Package name indicates which sub-protocol was used among the NTLM protocols.\n\t- Key length indicates the length of the generated session key. This will be 0 if no session key was requested.")

def e4624(ltype, subj, target, tlogon, tlogon_up, guid, auth, lproc, proc=None, src=None, lm='-', klen='0', elev='%%1843', elev_txt='No'):
    """subj/target: (sid, name, domain, logon_hex, logon_hex_upper); proc: (executable, name, pid_var); src: (workstation, ip, port_var or '0')"""
    ssid, sname, sdom, slogon, slogon_up = subj
    tsid, tname, tdom = target
    ed = {'AuthenticationPackageName': auth, 'ElevatedToken': elev, 'ImpersonationLevel': '%%1833', 'KeyLength': klen, 'LmPackageName': lm,
          'LogonGuid': guid, 'LogonProcessName': lproc, 'LogonType': ltype, 'RestrictedAdminMode': '-', 'SubjectDomainName': sdom,
          'SubjectLogonId': slogon, 'SubjectUserName': sname, 'SubjectUserSid': ssid, 'TargetDomainName': tdom, 'TargetLinkedLogonId': '0x0',
          'TargetLogonId': tlogon, 'TargetOutboundDomainName': '-', 'TargetOutboundUserName': '-', 'TargetUserName': tname, 'TargetUserSid': tsid,
          'TransmittedServices': '-', 'VirtualAccount': '%%1843'}
    top = {'user': {'domain': tdom, 'id': tsid, 'name': tname}, 'related': {'user': sorted({tname, sname} - {'-'})}}
    pidhex, pname = '0x0', '-'
    if proc:
        exe, name, pidv = proc
        top['process'] = {'executable': exe, 'name': name, 'pid': N(pidv)}
        pidhex, pname = '0x{{ %s | hexint }}' % pidv, exe
    wks, ip, port = '-', '-', '-'
    if src:
        wks, ip, port = src
        top['source'] = {'domain': wks, 'ip': ip, 'port': N(port) if port != '0' else 0}
        top['related']['ip'] = [ip]
        if port == '0': port_txt = '0'
        else: port_txt = '{{ %s }}' % port
    else:
        ed['IpAddress'] = '-'; ed['IpPort'] = '-'
        port_txt = '-'
    msg = MSG_4624.format(ssid=ssid, sname=sname, sdom=sdom, slogon=slogon_up, ltype=ltype, elev=elev_txt, tsid=tsid, tname=tname, tdom=tdom,
                          tlogon=tlogon_up, guid=guid, pidhex=pidhex, pname=pname.replace('\\\\', '\\'), wks=wks if src else '-', ip=ip, port=port_txt,
                          lproc=lproc, auth=auth, lm=lm, klen=klen)
    return doc('4624', 'logged-in', 'authentication', 'start', 'success', 'Logon', ed, top,
               logon={'id': slogon, 'type': LOGON_TYPE_NAME[ltype]}, version=2, msg=msg)

SYSTEM_SUBJ = ('S-1-5-18', '{{ host.hostname }}$', DOM, '0x3e7', '0x3E7')
NULL_SUBJ = ('S-1-0-0', '-', '-', '0x0', '0x0')
USER = ('{{ actor.ad_sid }}', '{{ actor.ad_sam_account_name }}', DOM)
GUID = '{{{ logon_guid }}}'
ZERO_GUID = '{00000000-0000-0000-0000-000000000000}'

# ---- 4634 / 4647 ----
def e4634(ltype, target, tlogon, tlogon_up):
    tsid, tname, tdom = target
    ed = {'LogonType': ltype, 'TargetDomainName': tdom, 'TargetLogonId': tlogon, 'TargetUserName': tname, 'TargetUserSid': tsid}
    msg = (f"An account was logged off.\n\nSubject:\n\tSecurity ID:\t\t{tsid}\n\tAccount Name:\t\t{tname}\n\tAccount Domain:\t\t{tdom}\n\tLogon ID:\t\t{tlogon_up}\n\n"
           f"Logon Type:\t\t\t{ltype}\n\nThis event is generated when a logon session is destroyed. It may be positively correlated with a logon event using the Logon ID value. Logon IDs are only unique between reboots on the same computer.")
    return doc('4634', 'logged-out', 'authentication', 'end', 'success', 'Logoff', ed,
               {'user': {'domain': tdom, 'id': tsid, 'name': tname}, 'related': {'user': [tname]}}, logon={'id': tlogon, 'type': LOGON_TYPE_NAME[ltype]}, msg=msg)

def e4647():
    tsid, tname, tdom = USER
    ed = {'TargetDomainName': tdom, 'TargetLogonId': HEX_LOGON, 'TargetUserName': tname, 'TargetUserSid': tsid}
    msg = (f"User initiated logoff:\n\nSubject:\n\tSecurity ID:\t\t{tsid}\n\tAccount Name:\t\t{tname}\n\tAccount Domain:\t\t{tdom}\n\tLogon ID:\t\t{HEX_LOGON_UP}\n\n"
           "This event is generated when a logoff is initiated. No further user-initiated activity can occur. This event can be interpreted as a logoff event.")
    return doc('4647', 'logged-out', 'authentication', 'end', 'success', 'Logoff', ed,
               {'user': {'domain': tdom, 'id': tsid, 'name': tname}, 'related': {'user': [tname]}}, logon={'id': HEX_LOGON}, msg=msg)

# ---- 4672 ----
ADMIN_PRIVS = ['SeSecurityPrivilege', 'SeTakeOwnershipPrivilege', 'SeLoadDriverPrivilege', 'SeBackupPrivilege', 'SeRestorePrivilege', 'SeDebugPrivilege', 'SeSystemEnvironmentPrivilege', 'SeImpersonatePrivilege', 'SeDelegateSessionUserImpersonatePrivilege']
SYSTEM_PRIVS = ['SeAssignPrimaryTokenPrivilege', 'SeTcbPrivilege', 'SeSecurityPrivilege', 'SeTakeOwnershipPrivilege', 'SeLoadDriverPrivilege', 'SeBackupPrivilege', 'SeRestorePrivilege', 'SeDebugPrivilege', 'SeAuditPrivilege', 'SeSystemEnvironmentPrivilege', 'SeImpersonatePrivilege', 'SeDelegateSessionUserImpersonatePrivilege']
def e4672(subj, privs):
    sid, name, dom, logon, logon_up = subj
    ed = {'PrivilegeList': privs, 'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name, 'SubjectUserSid': sid}
    plist = '\n\t\t\t'.join(privs)
    msg = f"Special privileges assigned to new logon.\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\nPrivileges:\t\t{plist}"
    return doc('4672', 'logged-in-special', 'iam', 'admin', 'success', 'Special Logon', ed,
               {'user': {'domain': dom, 'id': sid, 'name': name}, 'related': {'user': [name]}}, logon={'id': logon}, msg=msg, activity=True)

# ---- 4688 / 4689 ----
ELEV = {'%%1936': 'TokenElevationTypeDefault (1)', '%%1937': 'TokenElevationTypeFull (2)', '%%1938': 'TokenElevationTypeLimited (3)'}
def e4688(subj, p, elev, label, creator_pid, pid='proc_pid'):
    """p: var prefix of a process (sample var with columns image, name, command_line, args, parent_image, parent_name) or a dict of literals"""
    sid, name, dom, logon, logon_up = subj
    img, pname, cmd, args, pimg, ppname = p
    ed = {'CommandLine': cmd, 'MandatoryLabel': label, 'ProcessId': '0x{{ %s | hexint }}' % creator_pid, 'SubjectDomainName': dom, 'SubjectLogonId': logon,
          'SubjectUserName': name, 'SubjectUserSid': sid, 'TargetDomainName': '-', 'TargetLogonId': '0x0', 'TargetUserName': '-', 'TargetUserSid': 'S-1-0-0',
          'TokenElevationType': elev}
    top = {'process': {'args': args, 'command_line': cmd, 'executable': img, 'name': pname, 'parent': {'executable': pimg, 'name': ppname, 'pid': N(creator_pid)}, 'pid': N(pid)},
           'user': {'domain': dom, 'effective': {'id': 'S-1-0-0'}, 'id': sid, 'name': name}, 'related': {'user': [name]}}
    msg = (f"A new process has been created.\n\nCreator Subject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\n"
           "Target Subject:\n\tSecurity ID:\t\tS-1-0-0\n\tAccount Name:\t\t-\n\tAccount Domain:\t\t-\n\tLogon ID:\t\t0x0\n\n"
           f"Process Information:\n\tNew Process ID:\t\t0x{{{{ {pid} | hexint }}}}\n\tNew Process Name:\t{img}\n\tToken Elevation Type:\t{ELEV[elev]}\n\tMandatory Label:\t\t{label}\n\tCreator Process ID:\t0x{{{{ {creator_pid} | hexint }}}}\n\tCreator Process Name:\t{pimg}\n\tProcess Command Line:\t{cmd}\n\n"
           "Token Elevation Type indicates the type of token that was assigned to the new process in accordance with User Account Control policy.\n\nType 1 is a full token with no privileges removed or groups disabled.  A full token is only used if User Account Control is disabled or if the user is the built-in Administrator account or a service account.\n\nType 2 is an elevated token with no privileges removed or groups disabled.  An elevated token is used when User Account Control is enabled and the user chooses to start the program using Run as administrator.  An elevated token is also used when an application is configured to always require administrative privilege or to always require maximum privilege, and the user is a member of the Administrators group.\n\nType 3 is a limited token with administrative privileges removed and administrative groups disabled.  The limited token is used when User Account Control is enabled, the application does not require administrative privilege, and the user does not choose to start the program using Run as administrator.")
    return doc('4688', 'created-process', 'process', 'start', 'success', 'Process Creation', ed, top, logon={'id': logon}, version=2, msg=msg)

def e4689(subj, img, pname, pid='proc_pid'):
    sid, name, dom, logon, logon_up = subj
    ed = {'Status': '0x0', 'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name, 'SubjectUserSid': sid}
    msg = (f"A process has exited.\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\n"
           f"Process Information:\n\tProcess ID:\t0x{{{{ {pid} | hexint }}}}\n\tProcess Name:\t{img}\n\tExit Status:\t0x0")
    return doc('4689', 'exited-process', 'process', 'end', 'success', 'Process Termination', ed,
               {'process': {'executable': img, 'name': pname, 'pid': N(pid)}, 'user': {'domain': dom, 'id': sid, 'name': name}, 'related': {'user': [name]}},
               logon={'id': logon}, msg=msg, tags=['preserve_duplicate_custom_fields'])

# ---- Kerberos / NTLM (on the DC) ----
WS_IP = '{{ actor.workstation_ip }}'
def e4768(uname, usid, ip, port):
    ed = {'PreAuthType': '2', 'ServiceName': 'krbtgt', 'ServiceSid': '{{ actor.ad_sid | parent }}-502', 'Status': '0x0', 'StatusDescription': 'KDC_ERR_NONE',
          'TargetDomainName': REALM, 'TargetSid': usid, 'TargetUserName': uname, 'TicketEncryptionType': '0x12',
          'TicketEncryptionTypeDescription': 'AES256-CTS-HMAC-SHA1-96', 'TicketOptions': '0x40810010', 'TicketOptionsDescription': ['Forwardable', 'Renewable-ok', 'Name-canonicalize', 'Renewable']}
    msg = (f"A Kerberos authentication ticket (TGT) was requested.\n\nAccount Information:\n\tAccount Name:\t\t{uname}\n\tSupplied Realm Name:\t{REALM}\n\tUser ID:\t\t\t{usid}\n\n"
           "Service Information:\n\tService Name:\t\tkrbtgt\n\tService ID:\t\t{{ actor.ad_sid | parent }}-502\n\n"
           f"Network Information:\n\tClient Address:\t\t::ffff:{ip}\n\tClient Port:\t\t{{{{ {port} }}}}\n\n"
           "Additional Information:\n\tTicket Options:\t\t0x40810010\n\tResult Code:\t\t0x0\n\tTicket Encryption Type:\t0x12\n\tPre-Authentication Type:\t2\n\n"
           "Certificate Information:\n\tCertificate Issuer Name:\t\t\n\tCertificate Serial Number:\t\n\tCertificate Thumbprint:\t\t\n\nCertificate information is only provided if a certificate was used for pre-authentication.\n\nPre-authentication types, ticket options, encryption types and result codes are defined in RFC 4120.")
    return doc('4768', 'kerberos-authentication-ticket-requested', 'authentication', 'start', 'success', 'Kerberos Authentication Service', ed,
               {'related': {'ip': [ip], 'user': [uname]}, 'service': {'name': 'krbtgt'}, 'source': {'ip': ip, 'port': N(port)}, 'user': {'domain': REALM, 'id': usid, 'name': uname}}, msg=msg)

def e4769(uname, service, service_sid, ip, port, guid=GUID):
    upn = uname + '@' + REALM
    ed = {'LogonGuid': guid, 'ServiceName': service, 'ServiceSid': service_sid, 'Status': '0x0', 'StatusDescription': 'KDC_ERR_NONE', 'TargetDomainName': REALM,
          'TargetUserName': upn, 'TicketEncryptionType': '0x12', 'TicketEncryptionTypeDescription': 'AES256-CTS-HMAC-SHA1-96',
          'TicketOptions': '0x40810000', 'TicketOptionsDescription': ['Forwardable', 'Name-canonicalize', 'Renewable'], 'TransmittedServices': '-'}
    msg = (f"A Kerberos service ticket was requested.\n\nAccount Information:\n\tAccount Name:\t\t{upn}\n\tAccount Domain:\t\t{REALM}\n\tLogon GUID:\t\t{guid}\n\n"
           f"Service Information:\n\tService Name:\t\t{service}\n\tService ID:\t\t{service_sid}\n\n"
           f"Network Information:\n\tClient Address:\t\t::ffff:{ip}\n\tClient Port:\t\t{{{{ {port} }}}}\n\n"
           "Additional Information:\n\tTicket Options:\t\t0x40810000\n\tTicket Encryption Type:\t0x12\n\tFailure Code:\t\t0x0\n\tTransited Services:\t-\n\n"
           "This event is generated every time access is requested to a resource such as a computer or a Windows service.  The service name indicates the resource to which access was requested.\n\nThis event can be correlated with Windows logon events by comparing the Logon GUID fields in each event.  The logon event occurs on the machine that was accessed, which is often a different machine than the domain controller which issued the service ticket.\n\nTicket options, encryption types, and failure codes are defined in RFC 4120.")
    return doc('4769', 'kerberos-service-ticket-requested', 'authentication', 'start', 'success', 'Kerberos Service Ticket Operations', ed,
               {'related': {'ip': [ip], 'user': [uname]}, 'service': {'name': service}, 'source': {'ip': ip, 'port': N(port)}, 'user': {'domain': REALM, 'name': uname}}, msg=msg)

def e4771():
    uname, usid = '{{ actor.ad_sam_account_name }}', '{{ actor.ad_sid }}'
    svc = 'krbtgt/CORP.{{ org.domain | upper }}'
    ed = {'PreAuthType': '2', 'ServiceName': svc, 'Status': '0x18', 'StatusDescription': 'KDC_ERR_PREAUTH_FAILED', 'TargetSid': usid, 'TargetUserName': uname,
          'TicketOptions': '0x40810010', 'TicketOptionsDescription': ['Forwardable', 'Renewable-ok', 'Name-canonicalize', 'Renewable']}
    msg = (f"Kerberos pre-authentication failed.\n\nAccount Information:\n\tSecurity ID:\t\t{usid}\n\tAccount Name:\t\t{uname}\n\nService Information:\n\tService Name:\t\t{svc}\n\n"
           f"Network Information:\n\tClient Address:\t\t::ffff:{WS_IP}\n\tClient Port:\t\t{{{{ src_port }}}}\n\n"
           "Additional Information:\n\tTicket Options:\t\t0x40810010\n\tFailure Code:\t\t0x18\n\tPre-Authentication Type:\t2\n\n"
           "Certificate Information:\n\tCertificate Issuer Name:\t\t\n\tCertificate Serial Number: \t\n\tCertificate Thumbprint:\t\t\n\nCertificate information is only provided if a certificate was used for pre-authentication.\n\nPre-authentication types, ticket options and failure codes are defined in RFC 4120.\n\nIf the ticket was malformed or damaged during transit and could not be decrypted, then many fields in this event might not be present.")
    return doc('4771', 'kerberos-preauth-failed', 'authentication', 'start', 'failure', 'Kerberos Authentication Service', ed,
               {'related': {'ip': [WS_IP], 'user': [uname]}, 'service': {'name': svc}, 'source': {'ip': WS_IP, 'port': N('src_port')}, 'user': {'id': usid, 'name': uname}}, msg=msg)

def e4776(uname, wks):
    ed = {'PackageName': 'MICROSOFT_AUTHENTICATION_PACKAGE_V1_0', 'Status': '0x0', 'TargetUserName': uname, 'Workstation': wks}
    msg = f"The computer attempted to validate the credentials for an account.\n\nAuthentication Package:\tMICROSOFT_AUTHENTICATION_PACKAGE_V1_0\nLogon Account:\t{uname}\nSource Workstation:\t{wks}\nError Code:\t0x0"
    return doc('4776', 'credential-validated', 'authentication', 'start', 'success', 'Credential Validation', ed,
               {'related': {'user': [uname]}, 'user': {'name': uname}}, logon={'failure': {'status': 'Status OK.'}}, msg=msg)

def e4625():
    ssid, sname, sdom, slogon, slogon_up = SYSTEM_SUBJ
    tsid, tname, tdom = ('S-1-0-0', '{{ actor.ad_sam_account_name }}', DOM)
    ed = {'AuthenticationPackageName': 'Negotiate', 'FailureReason': '%%2313', 'KeyLength': '0', 'LmPackageName': '-', 'LogonProcessName': 'User32 ', 'LogonType': '2',
          'Status': '0xc000006d', 'SubStatus': '0xc000006a', 'SubjectDomainName': sdom, 'SubjectLogonId': slogon, 'SubjectUserName': sname, 'SubjectUserSid': ssid,
          'TargetDomainName': tdom, 'TargetUserName': tname, 'TargetUserSid': tsid, 'TransmittedServices': '-'}
    top = {'process': {'executable': 'C:\\Windows\\System32\\svchost.exe', 'name': 'svchost.exe', 'pid': N('logonui_pid')},
           'related': {'ip': ['127.0.0.1'], 'user': [tname]}, 'source': {'domain': '{{ host.hostname }}', 'ip': '127.0.0.1', 'port': 0},
           'user': {'domain': tdom, 'id': tsid, 'name': tname}}
    msg = (f"An account failed to log on.\n\nSubject:\n\tSecurity ID:\t\t{ssid}\n\tAccount Name:\t\t{sname}\n\tAccount Domain:\t\t{sdom}\n\tLogon ID:\t\t{slogon_up}\n\nLogon Type:\t\t\t2\n\n"
           f"Account For Which Logon Failed:\n\tSecurity ID:\t\tS-1-0-0\n\tAccount Name:\t\t{tname}\n\tAccount Domain:\t\t{tdom}\n\n"
           "Failure Information:\n\tFailure Reason:\t\tUnknown user name or bad password.\n\tStatus:\t\t\t0xC000006D\n\tSub Status:\t\t0xC000006A\n\n"
           "Process Information:\n\tCaller Process ID:\t0x{{ logonui_pid | hexint }}\n\tCaller Process Name:\tC:\\Windows\\System32\\svchost.exe\n\n"
           "Network Information:\n\tWorkstation Name:\t{{ host.hostname }}\n\tSource Network Address:\t127.0.0.1\n\tSource Port:\t\t0\n\n"
           "Detailed Authentication Information:\n\tLogon Process:\t\tUser32 \n\tAuthentication Package:\tNegotiate\n\tTransited Services:\t-\n\tPackage Name (NTLM only):\t-\n\tKey Length:\t\t0\n\n"
           "This event is generated when a logon request fails. It is generated on the computer where access was attempted.\n\nThe Subject fields indicate the account on the local system which requested the logon. This is most commonly a service such as the Server service, or a local process such as Winlogon.exe or Services.exe.\n\nThe Logon Type field indicates the kind of logon that was requested. The most common types are 2 (interactive) and 3 (network).\n\nThe Process Information fields indicate which account and process on the system requested the logon.\n\nThe Network Information fields indicate where a remote logon request originated. Workstation name is not always available and may be left blank in some cases.\n\nThe authentication information fields provide detailed information about this specific logon request.\n\t- Transited services indicate which intermediate services have participated in this logon request.\n\t- Package name indicates which sub-protocol was used among the NTLM protocols.\n\t- Key length indicates the length of the generated session key. This will be 0 if no session key was requested.")
    return doc('4625', 'logon-failed', 'authentication', 'start', 'failure', 'Logon', ed, top,
               logon={'failure': {'reason': 'Unknown user name or bad password.', 'status': 'This is either due to a bad username or authentication information', 'sub_status': 'User logon with misspelled bad password'}, 'id': slogon, 'type': 'Interactive'}, msg=msg)

def user_mgmt(code, action, category, typ, task, title, target, extra_ed=None, extra_top=None):
    sid, name, dom, logon, logon_up = ('{{ actor.ad_sid }}', '{{ actor.ad_sam_account_name }}', DOM, HEX_LOGON, HEX_LOGON_UP)
    tsid, tname, tdom = target
    ed = {'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name, 'SubjectUserSid': sid, 'TargetDomainName': tdom, 'TargetSid': tsid, 'TargetUserName': tname}
    if extra_ed: ed.update(extra_ed)
    top = {'related': {'user': [name, tname]}, 'user': {'domain': dom, 'id': sid, 'name': name, 'target': {'domain': tdom, 'id': tsid, 'name': tname}}}
    if extra_top: top.update(extra_top)
    msg = (f"{title}\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\n"
           f"Target Account:\n\tSecurity ID:\t\t{tsid}\n\tAccount Name:\t\t{tname}\n\tAccount Domain:\t\t{tdom}")
    d = doc(code, action, category, typ, 'success', task, ed, top, logon={'id': logon}, msg=msg, activity=True)
    return d

TARGET = ('{{ target.ad_sid }}', '{{ target.ad_sam_account_name }}', DOM)

def e4697():
    sid, name, dom, logon, logon_up = ('S-1-5-18', '{{ host.hostname }}$', DOM, '0x3e7', '0x3E7')
    ed = {'ServiceAccount': 'LocalSystem', 'ServiceFileName': '{{ svc.file_name }}', 'ServiceName': '{{ svc }}', 'ServiceStartType': '{{ svc.start_type }}',
          'ServiceType': '0x10', 'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name, 'SubjectUserSid': sid}
    msg = (f"A service was installed in the system.\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon}\n\n"
           "Service Information:\n\tService Name: \t\t{{ svc }}\n\tService File Name:\t{{ svc.file_name }}\n\tService Type: \t\t0x10\n\tService Start Type:\t{{ svc.start_type }}\n\tService Account: \t\tLocalSystem")
    return doc('4697', 'service-installed', ['iam', 'configuration'], ['admin', 'change'], 'success', 'Security System Extension', ed,
               {'related': {'user': [name]}, 'service': {'name': '{{ svc }}', 'type': 'Win32 Own Process'}, 'user': {'domain': dom, 'id': sid, 'name': name}},
               logon={'id': logon}, msg=msg, activity=True)

def e7045():
    # The System log's Service Control Manager: no module pipeline, so only Winlogbeat's own fields.
    d = {'@timestamp': '{{ time | rfc3339 }}',
         'agent': {'ephemeral_id': '{{ agent_eph }}', 'id': '{{ agent_id }}', 'name': '{{ host.hostname }}', 'type': 'winlogbeat', 'version': '8.17.0'},
         'ecs': {'version': '8.11.0'}, 'event': {'code': '7045', 'kind': 'event', 'provider': 'Service Control Manager', 'created': '{{ time | rfc3339 }}'},
         'host': {'name': '{{ host.hostname }}'}, 'log': {'level': 'information'},
         'message': 'A service was installed in the system.\n\nService Name:  {{ svc }}\nService File Name:  {{ svc.file_name }}\nService Type:  user mode service\nService Start Type:  {{ svc.start_name }}\nService Account:  LocalSystem',
         'winlog': {'api': 'wineventlog', 'channel': 'System', 'computer_name': FQDN,
                    'event_data': {'AccountName': 'LocalSystem', 'ImagePath': '{{ svc.file_name }}', 'ServiceName': '{{ svc }}', 'ServiceType': 'user mode service', 'StartType': '{{ svc.start_name }}'},
                    'event_id': '7045', 'keywords': ['Classic'], 'level': 'information', 'opcode': 'Info', 'process': {'pid': N('services_pid'), 'thread': {'id': N('tid')}},
                    'provider_guid': '{555908d1-a6d7-4695-8e1e-26931d2012f4}', 'provider_name': 'Service Control Manager', 'record_id': '{{ sysrid }}',
                    'task': 'None', 'time_created': '{{ time | rfc3339 }}', 'user': {'domain': 'NT AUTHORITY', 'identifier': 'S-1-5-18', 'name': 'SYSTEM', 'type': 'User'}}}
    out = dump(d)
    DOCS[out] = d
    return out

def e4698():
    sid, name, dom, logon, logon_up = ('S-1-5-18', '{{ host.hostname }}$', DOM, '0x3e7', '0x3E7')
    content = ('<?xml version="1.0" encoding="UTF-16"?>\n<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">\n  <RegistrationInfo>\n'
               '    <Date>{{ time | datetime_ms }}</Date>\n    <URI>{{ svc.task }}</URI>\n  </RegistrationInfo>\n  <Triggers>\n    <TimeTrigger>\n      <Repetition>\n        <Interval>PT1H</Interval>\n        <Duration>P1D</Duration>\n        <StopAtDurationEnd>false</StopAtDurationEnd>\n      </Repetition>\n'
               '      <StartBoundary>2025-01-01T09:00:00</StartBoundary>\n      <Enabled>true</Enabled>\n    </TimeTrigger>\n  </Triggers>\n'
               '  <Principals>\n    <Principal id="Author">\n      <UserId>S-1-5-18</UserId>\n      <RunLevel>HighestAvailable</RunLevel>\n    </Principal>\n  </Principals>\n'
               '  <Actions Context="Author">\n    <Exec>\n      <Command>{{ svc.task_command }}</Command>\n    </Exec>\n  </Actions>\n</Task>')
    ed = {'ClientProcessId': '{{ proc_pid }}', 'ClientProcessStartKey': '{{ start_key_hi }}{{ start_key_lo }}', 'FQDN': '{{ host.hostname | lower }}.corp.{{ org.domain }}',
          'ParentProcessId': '{{ services_pid }}', 'RpcCallClientLocality': '0', 'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name,
          'SubjectUserSid': sid, 'TaskContent': content, 'TaskName': '{{ svc.task }}'}
    task = {'actions': [{'arguments': '', 'command': '{{ svc.task_command }}', 'context': 'Author',
                         'definition': 'v=1|type=exec|context=Author|command={{ svc.task_command }}|arguments=|working_directory=|class_id=', 'type': 'exec'}],
            'name': '{{ svc.task }}', 'principals': [{'id': 'Author', 'logon': {'type': 'ServiceAccount'}, 'run_level': 'HighestAvailable', 'user': {'identifier': 'S-1-5-18'}}],
            'settings': {'enabled': True, 'hidden': False},
            'triggers': [{'enabled': True, 'definition': 'v=1|type=time|enabled=true|interval=PT1H|duration=P1D|stop_at_duration_end=false',
                          'repetition': {'duration': 'P1D', 'interval': 'PT1H', 'stop_at_duration_end': False}, 'type': 'time'}],
            'uri': '{{ svc.task }}'}
    msg = (f"A scheduled task was created.\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\n"
           f"Task Information:\n\tTask Name: \t\t{{{{ svc.task }}}}\n\tTask Content: \t\t{content}")
    # The pipeline's parsed task (winlog.scheduled_task) beside the raw TaskContent.
    return doc('4698', 'scheduled-task-created', ['iam', 'configuration'], ['creation', 'admin'], 'success', 'Other Object Access Events', ed,
               {'related': {'user': [name]}, 'user': {'domain': dom, 'id': sid, 'name': name}}, logon={'id': logon}, msg=msg, winlog_extra={'scheduled_task': task})

def e4720():
    new_acc = {'AccountExpires': '%%1794', 'AllowedToDelegateTo': '-', 'DisplayName': '{{ target.display_name }}', 'HomeDirectory': '%%1793', 'HomePath': '%%1793',
               'LogonHours': '%%1797', 'NewUACList': ['USER_ACCOUNT_DISABLED', 'USER_PASSWORD_NOT_REQUIRED', 'USER_NORMAL_ACCOUNT'], 'NewUacValue': '0x15', 'OldUacValue': '0x0',
               'PasswordLastSet': '%%1794', 'PrimaryGroupId': '513', 'PrivilegeList': '-', 'ProfilePath': '%%1793', 'SamAccountName': '{{ target.ad_sam_account_name }}',
               'ScriptPath': '%%1793', 'SidHistory': '-', 'UserAccountControl': ['2080', '2082', '2084'], 'UserParameters': '%%1793',
               'UserPrincipalName': '{{ target.email }}', 'UserWorkstations': '%%1793'}
    return user_mgmt('4720', 'added-user-account', 'iam', ['user', 'creation'], 'User Account Management', 'A user account was created.', TARGET, extra_ed=new_acc)

def e4697():
    """A service installed (PsExec's PSEXESVC by an attacker's network logon): Security System Extension auditing."""
    sid, name, dom = USER
    logon, logon_up = '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}'
    ed = {'ServiceAccount': 'LocalSystem', 'ServiceFileName': '{{ svc_file }}', 'ServiceName': '{{ svc_name }}', 'ServiceStartType': '3', 'ServiceType': '0x10',
          'SubjectDomainName': dom, 'SubjectLogonId': logon, 'SubjectUserName': name, 'SubjectUserSid': sid}
    msg = (f"A service was installed in the system.\n\nSubject:\n\tSecurity ID:\t\t{sid}\n\tAccount Name:\t\t{name}\n\tAccount Domain:\t\t{dom}\n\tLogon ID:\t\t{logon_up}\n\n"
           "Service Information:\n\tService Name: \t\t{{ svc_name }}\n\tService File Name:\t{{ svc_file }}\n\tService Type: \t\t0x10\n\tService Start Type:\t3\n\tService Account: \t\tLocalSystem")
    return doc('4697', 'service-installed', ['iam', 'configuration'], ['admin', 'change'], 'success', 'Security System Extension', ed,
               {'related': {'user': [name]}, 'service': {'name': '{{ svc_name }}'}, 'user': {'domain': dom, 'id': sid, 'name': name}}, logon={'id': logon}, msg=msg)

# ---- process samples: add args ----
def split_args(cmd):
    out, cur, q, i = [], '', False, 0
    while i < len(cmd):
        c = cmd[i]
        if c == '"':
            q = not q; cur += c
        elif c == ' ' and not q:
            if cur: out.append(cur); cur = ''
        else: cur += c
        i += 1
    if cur: out.append(cur)
    return out

for f in ['user_apps', 'dev_tools', 'system_processes']:
    p = f'{PACK}/samples/{f}.csv'
    rows = list(csv.DictReader(open(p, newline='')))
    for r in rows:
        r['args'] = json.dumps(split_args(r['command_line']))
    cols = ['image', 'name', 'command_line', 'args', 'parent_image', 'parent_name', 'weight']
    with open(p, 'w', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=cols); w.writeheader()
        for r in rows: w.writerow({c: r[c] for c in cols})

def P(var):
    return ('{{ %s.image }}' % var, '{{ %s }}' % var, '{{ %s.command_line }}' % var, '@@{{ %s.args | raw }}@@' % var, '{{ %s.parent_image }}' % var, '{{ %s.parent_name }}' % var)

USER_SUBJ = ('{{ actor.ad_sid }}', '{{ actor.ad_sam_account_name }}', DOM, HEX_LOGON, HEX_LOGON_UP)
SYS_PROC_SUBJ = ('S-1-5-18', '{{ host.hostname }}$', DOM, '0x3e7', '0x3E7')
WS_SUBJ_ACC = '{{ actor.workstation_hostname }}$'

def lit_proc(img, name, cmd, pimg, pname):
    esc = lambda s: s
    return (img, name, cmd, split_args(cmd), pimg, pname)

USERINIT = lit_proc('C:\\Windows\\System32\\userinit.exe', 'userinit.exe', 'C:\\Windows\\system32\\userinit.exe', 'C:\\Windows\\System32\\winlogon.exe', 'winlogon.exe')
EXPLORER = lit_proc('C:\\Windows\\explorer.exe', 'explorer.exe', 'C:\\Windows\\Explorer.EXE', 'C:\\Windows\\System32\\userinit.exe', 'userinit.exe')

logon4624_user = lambda: e4624('2', SYSTEM_SUBJ, USER, HEX_LOGON, HEX_LOGON_UP, GUID, 'Negotiate', 'User32 ',
                               proc=('C:\\Windows\\System32\\svchost.exe', 'svchost.exe', 'logonui_pid'), src=('{{ host.hostname }}', '127.0.0.1', '0'))
R = {}
R['tgt'] = e4768('{{ actor.ad_sam_account_name }}', '{{ actor.ad_sid }}', WS_IP, 'src_port')
R['tgs_ws'] = e4769('{{ actor.ad_sam_account_name }}', WS_SUBJ_ACC, '{{ actor.ad_sid | parent }}-{{ ws_rid }}', WS_IP, 'src_port')
R['4624_2'] = logon4624_user()
R['4672_user'] = e4672(USER_SUBJ, ADMIN_PRIVS)
R['4624_11'] = e4624('11', SYSTEM_SUBJ, USER, HEX_LOGON, HEX_LOGON_UP, ZERO_GUID, 'Negotiate', 'User32 ',
                     proc=('C:\\Windows\\System32\\svchost.exe', 'svchost.exe', 'logonui_pid'), src=('{{ host.hostname }}', '127.0.0.1', '0'))
R['userinit'] = e4688(USER_SUBJ, USERINIT, '%%1938', 'S-1-16-8192', 'winlogon_pid', pid='userinit_pid')
R['explorer'] = e4688(USER_SUBJ, EXPLORER, '%%1938', 'S-1-16-8192', 'userinit_pid', pid='explorer_pid')
R['app_start'] = e4688(USER_SUBJ, P('app'), '%%1938', 'S-1-16-8192', 'explorer_pid')
R['app_end'] = e4689(USER_SUBJ, '{{ app.image }}', '{{ app }}')
R['app2_start'] = e4688(USER_SUBJ, P('app2'), '%%1938', 'S-1-16-8192', 'explorer_pid', pid='proc2_pid')
R['app2_end'] = e4689(USER_SUBJ, '{{ app2.image }}', '{{ app2 }}', pid='proc2_pid')
R['dev_start'] = e4688(USER_SUBJ, P('dev'), '%%1938', 'S-1-16-8192', 'explorer_pid')
R['dev_end'] = e4689(USER_SUBJ, '{{ dev.image }}', '{{ dev }}')
R['svc_logon'] = e4624('5', SYSTEM_SUBJ, ('S-1-5-18', 'SYSTEM', 'NT AUTHORITY'), '0x3e7', '0x3E7', ZERO_GUID, 'Negotiate', 'Advapi  ',
                       proc=('C:\\Windows\\System32\\services.exe', 'services.exe', 'services_pid'))
R['svc_4672'] = e4672(('S-1-5-18', 'SYSTEM', 'NT AUTHORITY', '0x3e7', '0x3E7'), SYSTEM_PRIVS)
R['sys_start'] = e4688(SYS_PROC_SUBJ, P('sys'), '%%1936', 'S-1-16-16384', 'services_pid')
R['sys_end'] = e4689(SYS_PROC_SUBJ, '{{ sys.image }}', '{{ sys }}')
R['svc_logoff'] = e4634('5', ('S-1-5-18', 'SYSTEM', 'NT AUTHORITY'), '0x3e7', '0x3E7')
R['sys2_start'] = e4688(SYS_PROC_SUBJ, P('sys2'), '%%1936', 'S-1-16-16384', 'services_pid', pid='proc2_pid')
R['sys2_end'] = e4689(SYS_PROC_SUBJ, '{{ sys2.image }}', '{{ sys2 }}', pid='proc2_pid')

R['tgs_file'] = e4769('{{ actor.ad_sam_account_name }}', '{{ hosts.file.hostname }}$', '{{ actor.ad_sid | parent }}-{{ svc_rid }}', WS_IP, 'src_port')
R['4624_3_file'] = e4624('3', NULL_SUBJ, USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}', GUID, 'Kerberos', 'Kerberos',
                         src=('-', WS_IP, 'src_port'), elev='%%1842', elev_txt='Yes')
R['4634_3_file'] = e4634('3', USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}')
R['unlock'] = e4624('7', SYSTEM_SUBJ, USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}', GUID, 'Negotiate', 'User32 ',
                    proc=('C:\\Windows\\System32\\svchost.exe', 'svchost.exe', 'logonui_pid'), src=('{{ host.hostname }}', '127.0.0.1', '0'))
R['unlock_end'] = e4634('7', USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}')
R['4771'] = e4771()
R['4625'] = e4625()
R['4647'] = e4647()
R['4634_2'] = e4634('2', USER, HEX_LOGON, HEX_LOGON_UP)
R['ntlm'] = e4776('{{ actor.ad_sam_account_name }}', '{{ actor.workstation_hostname }}')
R['4624_3_ntlm'] = e4624('3', NULL_SUBJ, USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}', ZERO_GUID, 'NTLM', 'NtLmSsp ',
                         src=('{{ actor.workstation_hostname }}', WS_IP, 'src_port'), lm='NTLM V2', klen='128', elev='%%1842', elev_txt='Yes')
R['rdp_tgs'] = e4769('{{ actor.ad_sam_account_name }}', '{{ hosts.file.hostname }}$', '{{ actor.ad_sid | parent }}-{{ svc_rid }}', WS_IP, 'src_port')
R['rdp_4624'] = e4624('10', SYSTEM_SUBJ, USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}', GUID, 'Negotiate', 'User32 ',
                      proc=('C:\\Windows\\System32\\svchost.exe', 'svchost.exe', 'logonui_pid'), src=('{{ host.hostname }}', WS_IP, '0'), elev='%%1842', elev_txt='Yes')
R['rdp_4672'] = e4672(('{{ actor.ad_sid }}', '{{ actor.ad_sam_account_name }}', DOM, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}'), ADMIN_PRIVS)
R['rdp_4634'] = e4634('10', USER, '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}')
# DC background: computer accounts
PC_ACC = '{{ actor.workstation_hostname }}$'
PC_IP = WS_IP
R['pc_tgt'] = e4768(PC_ACC, '{{ actor.ad_sid | parent }}-{{ ws_rid }}', PC_IP, 'src_port')
R['pc_ntlm'] = e4776('{{ actor.ad_sam_account_name }}', '{{ actor.workstation_hostname }}')
R['pc_tgs'] = e4769(PC_ACC, '{{ host.hostname }}$', '{{ actor.ad_sid | parent }}-1000', PC_IP, 'src_port', guid='{{{ logon_guid }}}')
R['pc_4624'] = e4624('3', NULL_SUBJ, ('{{ actor.ad_sid | parent }}-{{ ws_rid }}', PC_ACC, DOM), '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}', GUID, 'Kerberos', 'Kerberos',
                     src=('-', PC_IP, 'src_port'), elev='%%1842', elev_txt='Yes')
R['pc_4634'] = e4634('3', ('{{ actor.ad_sid | parent }}-{{ ws_rid }}', PC_ACC, DOM), '0x{{ net_logon_id | hexint }}', '0x{{ net_logon_id | hexint | upper }}')
# account management
R['svc_4697'] = e4697()
R['svc_7045'] = e7045()
R['svc_4698'] = e4698()
R['4720'] = e4720()
R['4697'] = e4697()
R['4722'] = user_mgmt('4722', 'enabled-user-account', 'iam', ['user', 'change'], 'User Account Management', 'A user account was enabled.', TARGET)
R['4724'] = user_mgmt('4724', 'reset-password', 'iam', ['user', 'change'], 'User Account Management', 'An attempt was made to reset an account\'s password.', TARGET)
R['4738'] = user_mgmt('4738', 'modified-user-account', 'iam', ['user', 'change'], 'User Account Management', 'A user account was changed.', TARGET,
                      extra_ed={'AccountExpires': '-', 'AllowedToDelegateTo': '-', 'DisplayName': '-', 'Dummy': '-', 'HomeDirectory': '-', 'HomePath': '-', 'LogonHours': '-', 'OldUacValue': '-', 'NewUacValue': '-', 'PasswordLastSet': '{{ time | datetime_ms }}', 'PrimaryGroupId': '-', 'PrivilegeList': '-', 'ProfilePath': '-', 'SamAccountName': '-', 'ScriptPath': '-', 'SidHistory': '-', 'UserAccountControl': '-', 'UserParameters': '-', 'UserPrincipalName': '-', 'UserWorkstations': '-'})
# R['4740'] = user_mgmt('4740', 'locked-out-user-account', 'iam', ['user', 'change'], 'User Account Management', 'A user account was locked out.', USER)
R['4728'] = user_mgmt('4728', 'added-member-to-group', 'iam', ['group', 'change'], 'Security Group Management', 'A member was added to a security-enabled global group.',
                      ('{{ actor.ad_sid | parent }}-{{ group.rid }}', '{{ group }}', DOM),
                      extra_ed={'MemberName': 'CN={{ target.display_name }},OU=Users,{{ param.base_dn }}', 'MemberSid': '{{ target.ad_sid }}', 'PrivilegeList': '-'},
                      extra_top={'group': {'domain': DOM, 'id': '{{ actor.ad_sid | parent }}-{{ group.rid }}', 'name': '{{ group }}'},
                                 'user': {'domain': DOM, 'id': '{{ actor.ad_sid }}', 'name': '{{ actor.ad_sam_account_name }}', 'target': {'domain': DOM, 'name': '{{ target.ad_sam_account_name }}', 'group': {'domain': DOM, 'id': '{{ actor.ad_sid | parent }}-{{ group.rid }}', 'name': '{{ group }}'}}},
                                 'related': {'user': ['{{ actor.ad_sam_account_name }}', '{{ target.ad_sam_account_name }}']}})
open('/tmp/wingen/records.json', 'w').write(json.dumps(R, indent=1))
print(len(R), 'records', sum(len(v) for v in R.values()) // len(R), 'chars avg')

# ---------------- the manifest ----------------
def recs(*keys):
    return 'records = [\n' + ''.join("  '''%s''',\n" % R[k] for k in keys) + ']\n'

EVENTS = []
def ev(name, weight, keys, **kw):
    lines = [f'[[events]]', f'name = "{name}"', f'weight = {weight}']
    for k, v in kw.items():
        lines.append(f'{k} = {json.dumps(v)}')
    lines.append(recs(*keys))
    EVENTS.append('\n'.join(lines))

# A working session: the logon (Kerberos TGT and the workstation's ticket on a domain controller, the interactive
# logon, userinit and explorer), then the person's work, then the logoff.
ev('logon', 1, ['tgt', 'tgs_ws', '4624_2', 'userinit', 'explorer'], roles=['developer', 'readonly', 'auditor'], **{'from': 'off'}, to='on',
   record_hosts=['dc', 'dc', '', '', ''], gaps_ms=[4, 30, 700, 1100])
ev('logon_admin', 1, ['tgt', 'tgs_ws', '4624_2', '4672_user', 'userinit', 'explorer'], roles=['admin'], **{'from': 'off'}, to='on',
   record_hosts=['dc', 'dc', '', '', '', ''], gaps_ms=[4, 30, 1, 700, 1100])
# Away from the office network (no domain controller in reach): a logon with cached credentials.
ev('logon_cached', 0.25, ['4624_11', 'userinit', 'explorer'], **{'from': 'off'}, to='on', gaps_ms=[700, 1100])
ev('mistyped_password', 0.3, ['4771', '4625'], **{'from': 'off'}, record_hosts=['dc', ''], gaps_ms=[25])
ev('app', 10, ['app_start', 'app2_start', 'app2_end', 'app_end'], **{'from': 'on'}, gaps_ms=['child_ms', 'child_life_ms', 'lifetime_ms'])
ev('dev_tool', 5, ['dev_start', 'dev_end'], roles=['admin', 'developer'], **{'from': 'on'}, gaps_ms=['lifetime_ms'])
ev('system_task', 2, ['svc_logon', 'svc_4672', 'sys_start', 'sys2_start', 'sys2_end', 'sys_end'], **{'from': 'on'}, gaps_ms=[1, 40, 'child_ms', 'child_life_ms', 'lifetime_ms'])
# A service's logon session that ends with it (4634 type 5).
ev('system_task_session', 1.5, ['svc_logon', 'svc_4672', 'sys_start', 'sys_end', 'svc_logoff'], **{'from': 'on'}, gaps_ms=[1, 40, 'lifetime_ms', 5])
ev('file_share', 0.8, ['tgs_file', '4624_3_file', '4634_3_file'], **{'from': 'on'}, record_hosts=['dc', 'file', 'file'], gaps_ms=[12, 'share_ms'])
ev('file_share_ntlm', 0.12, ['ntlm', '4624_3_ntlm', '4634_3_file'], **{'from': 'on'}, record_hosts=['dc', 'file', 'file'], gaps_ms=[8, 'share_ms'])
ev('unlock', 0.5, ['unlock', 'unlock_end'], **{'from': 'on'}, gaps_ms=[6])
ev('rdp_to_server', 0.1, ['rdp_tgs', 'rdp_4624', 'rdp_4672', 'rdp_4634'], roles=['admin'], **{'from': 'on'}, record_hosts=['dc', 'file', 'file', 'file'], gaps_ms=[900, 2, 'session_ms'])
# Written only by attack scenarios (weight 0): a service installed by a network logon (PsExec's service on a server).
ev('attack_service_install', 0, ['4697'], host_roles=['file', 'dc'])
ev('password_reset', 0.016, ['4724'], roles=['admin'], **{'from': 'on'}, host_roles=['dc'])
ev('account_changed', 0.016, ['4738'], roles=['admin'], **{'from': 'on'}, host_roles=['dc'])
ev('group_member_added', 0.004, ['4728'], roles=['admin'], **{'from': 'on'}, host_roles=['dc'])
# The servers' own services, on their own schedule, day and night (each domain controller and file server).
ev('server_task', 1, ['svc_logon', 'svc_4672', 'sys_start', 'sys_end'], every_s=120, host_roles=['dc', 'file'], gaps_ms=[1, 40, 'lifetime_ms'])
# Software updates install their services and scheduled tasks now and then (SYSTEM, as an installer runs).
ev('software_update', 0.006, ['svc_4697', 'svc_7045', 'svc_4698'], **{'from': 'on'}, gaps_ms=[2, 1500])
# A new colleague's account: created, enabled, given its first password (an administrator, on the DC).
ev('new_account', 0.002, ['4720', '4722', '4724'], roles=['admin'], **{'from': 'on'}, host_roles=['dc'], gaps_ms=[400, 2500])
ev('logoff', 0.14, ['4647', '4634_2'], **{'from': 'on'}, to='off', gaps_ms=[350])
# The workstation's own traffic at the domain controller while it is in use: the computer account's tickets and
# network logons (group policy, LDAP, SYSVOL), its TGT renewals, NTLM from older clients and apps.
ev('computer_session', 1.2, ['pc_tgs', 'pc_4624', 'pc_4634'], **{'from': 'on'}, host_roles=['dc'], gaps_ms=[3, 'share_ms'])
ev('computer_ticket', 0.24, ['pc_tgt'], **{'from': 'on'}, host_roles=['dc'])
ev('legacy_ntlm', 0.24, ['pc_ntlm'], **{'from': 'on'}, host_roles=['dc'])

MANIFEST = '''# Windows Security event log as Winlogbeat 8 ships it through Elastic's security module pipeline (winlog.*, event.*,
# user.*, process.*, source.*, related.*), for the people with a Windows workstation and for the domain controllers and
# file servers of the inventory. A working session: Kerberos TGT and service ticket on a domain controller, the
# interactive logon (4624 type 2, 4672 for administrators), userinit and explorer, then the person's programs (4688 and
# 4689 under the session's logon id), SYSTEM's services (4624 type 5, 4672, 4688), file shares (4769 on the DC, 4624
# and 4634 type 3 on the file server), unlocks (type 7), administrators' RDP (type 10) and account changes, and the
# logoff (4647, 4634). The domain controllers also serve the computers' own logons around the clock.
# Templates follow the field layout of the real documents in test/fixtures/reference/windows/ (generated by
# bench/dev/windows-security-pack.py); record ids are per host and increase with every record.
name = "windows-security"
description = "Windows Security event log (Winlogbeat 8, ECS) of the Windows workstations, domain controllers and file servers"
format = "json"
# A record's id in scenario labels: <computer>:<record id> (the event log's own numbering, per host).
record_id = '"computer_name":"([^"]+)".*?"record_id":"(\\d+)"'
actors = "people"
actors_where = { workstation_os = "Windows 11" }
share = 2.5
alone_share = 2.5
states = ["off", "on"]
state_scope = "session"
host_environments = ["prod"]

[params.domain]
default = "CORP"
description = "the Active Directory domain's NetBIOS name (its DNS name is corp.<the organisation's e-mail domain>)"

[params.base_dn]
default = "DC=corp,DC=example,DC=com"
description = "the directory's base DN, in group membership events' member names"

[samples.user_apps]
file = "samples/user_apps.csv"
weight = "weight"

[samples.dev_tools]
file = "samples/dev_tools.csv"
weight = "weight"

[samples.system_processes]
file = "samples/system_processes.csv"
weight = "weight"

[samples.groups]
file = "samples/groups.csv"
weight = "weight"

[samples.services]
file = "samples/services.csv"
weight = "weight"

''' + HOST_BLOCK + pid_vars({'lsass': (150, 260), 'services': (140, 240), 'winlogon': (120, 400), 'logonui': (200, 600)}) + SESSION_BLOCK + PROCESS_BLOCK + '''
# Per event.
[vars.proc2_q]
int = { min = 500, max = 9000 }
[vars.proc2_pid]
expr = "proc2_q * 4"
[vars.child_ms]
lognormal = { median = 900, sigma = 1.0, min = 20, max = 60000 }
[vars.child_life_ms]
lognormal = { median = 20000, sigma = 1.6, min = 100, max = 3600000 }
[vars.activity_id]
uuid = true
[vars.svc]
sample = "services"
column = "name"
[vars.start_key_hi]
int = { min = 10000000, max = 99999999 }
[vars.start_key_lo]
int = { min = 100000000, max = 999999999 }
# The System log's own record ids (another log on the same host).
[vars.sysrid]
counter = { scope = "host", start = 300, per = "record" }
[vars.net_logon_id]
int = { min = 1000000, max = 900000000 }
# A service an attack scenario installs (src/scenarios/ sets them; the event that shows them has weight 0).
[vars.svc_name]
const = "PSEXESVC"
[vars.svc_file]
const = '%SystemRoot%\\PSEXESVC.exe'
[vars.src_port]
int = { min = 49152, max = 65535 }
[vars.ws_rid]
int = { min = 1100, max = 60000, per = "actor" }
[vars.svc_rid]
int = { min = 1100, max = 9000 }
[vars.share_ms]
lognormal = { median = 60000, sigma = 1.3, min = 500, max = 7200000 }
[vars.session_ms]
lognormal = { median = 1500000, sigma = 0.9, min = 60000, max = 28800000 }
[vars.sys2]
sample = "system_processes"
column = "name"
[vars.app2]
sample = "user_apps"
column = "name"
[vars.group]
sample = "groups"
column = "name"
[vars.target]
person = { where = { workstation_os = "Windows 11" } }

'''
open(f'{PACK}/pack.toml', 'w').write(MANIFEST + '\n\n'.join(EVENTS) + '\n')
open(f'{PACK}/samples/groups.csv', 'w').write('name,rid,weight\nGRP-Finance-Share,2201,3\nGRP-Engineering,2202,4\nGRP-VPN-Users,2203,5\nGRP-Jira-Users,2204,3\nGRP-Sales-Reports,2205,2\nGRP-HR-Confidential,2206,1\n')
print('written')

# ---------------- the rendered-XML twin ----------------
# The same events as Windows renders them (`wevtutil qe Security /f:xml`, what Windows Event Forwarding and most
# agents' raw mode carry): one <Event> per line, the System block, and the EventData fields as Windows writes them —
# the fields Elastic's pipeline moved to ECS (addresses, process ids and names) put back, the ones it added removed.
TASKS = {'4624': 12544, '4625': 12544, '4634': 12545, '4647': 12545, '4672': 12548, '4688': 13312, '4689': 13313, '4697': 12289,
         '4698': 12804, '4720': 13824, '4722': 13824, '4724': 13824, '4738': 13824, '4728': 13826, '4768': 14339, '4771': 14339,
         '4769': 14337, '4776': 14336}
SENTINEL = re.compile(r'^@@\{\{ (.+?) \}\}@@$')


def plain(v):
    """A template value as text: a number placeholder loses its markers."""
    if isinstance(v, str):
        m = SENTINEL.match(v)
        return '{{ %s }}' % m.group(1) if m else v
    return str(v)


def hexpid(v):
    m = SENTINEL.match(v) if isinstance(v, str) else None
    return '0x{{ %s | hexint }}' % m.group(1) if m else '0x0'


def xml_text(v):
    """Static text escaped for XML; placeholders are escaped by the pack (escape = "xml")."""
    parts = re.split(r'(\{\{.*?\}\})', v)
    esc = lambda p: (p.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace("'", '&apos;').replace('"', '&quot;')
                     .replace('\r', '&#13;').replace('\n', '&#10;').replace('\t', '&#9;'))
    return ''.join(p if p.startswith('{{') else esc(p) for p in parts)


# Windows writes EventData in the event's own order: 4624's as its manifest has it (the reference XML), others with
# the subject first, then the target, then the rest as built.
ORDER_4624 = ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetUserName', 'TargetDomainName',
              'TargetLogonId', 'LogonType', 'LogonProcessName', 'AuthenticationPackageName', 'WorkstationName', 'LogonGuid', 'TransmittedServices',
              'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort', 'ImpersonationLevel', 'RestrictedAdminMode',
              'TargetOutboundUserName', 'TargetOutboundDomainName', 'VirtualAccount', 'TargetLinkedLogonId', 'ElevatedToken']
GENERIC = ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId']


def ordered(code, ed):
    order = ORDER_4624 if code == '4624' else GENERIC
    first = [k for k in order if k in ed]
    return [(k, ed[k]) for k in first] + [(k, v) for k, v in ed.items() if k not in first]


def to_xml(d):
    w = d['winlog']
    code = w['event_id']
    ed = dict(w.get('event_data', {}))
    for k in ('StatusDescription', 'TicketEncryptionTypeDescription', 'TicketOptionsDescription', 'NewUACList'):
        ed.pop(k, None)
    if isinstance(ed.get('PrivilegeList'), list):
        ed['PrivilegeList'] = '\r\n\t\t\t'.join(ed['PrivilegeList'])
    if isinstance(ed.get('UserAccountControl'), list):
        ed['UserAccountControl'] = ''.join('\r\n\t\t%%' + x for x in ed['UserAccountControl'])
    proc, src = d.get('process', {}), d.get('source')
    if code in ('4624', '4625'):
        if src is not None:
            ed['WorkstationName'] = src.get('domain', '-')
            ed['IpAddress'] = src['ip']
            ed['IpPort'] = plain(src['port'])
        else:
            ed.setdefault('WorkstationName', '-')
        ed['ProcessId'] = hexpid(proc['pid']) if proc else '0x0'
        ed['ProcessName'] = proc.get('executable', '-') if proc else '-'
    elif code == '4688':
        ed['NewProcessId'] = hexpid(proc['pid'])
        ed['NewProcessName'] = proc['executable']
        ed['ParentProcessName'] = proc['parent']['executable']
    elif code == '4689':
        ed['ProcessId'] = hexpid(proc['pid'])
        ed['ProcessName'] = proc['executable']
    elif code in ('4768', '4769', '4771'):
        ed['IpAddress'] = '::ffff:' + src['ip']
        ed['IpPort'] = plain(src['port'])
    if code == '7045':
        head = ("<Provider Name='Service Control Manager' Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' EventSourceName='Service Control Manager'/>"
                "<EventID Qualifiers='16384'>7045</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode>"
                "<Keywords>0x8080000000000000</Keywords>")
        security, record = "<Security UserID='S-1-5-18'/>", '{{ sysrid }}'
        execution = "<Execution ProcessID='{{ services_pid }}' ThreadID='{{ tid }}'/>"
    else:
        success = w['keywords'] == ['Audit Success']
        head = ("<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>"
                f"<EventID>{code}</EventID><Version>{w.get('version', 0)}</Version><Level>0</Level><Task>{TASKS[code]}</Task><Opcode>0</Opcode>"
                f"<Keywords>{'0x8020000000000000' if success else '0x8010000000000000'}</Keywords>")
        security, record = '<Security/>', '{{ rid }}'
        execution = "<Execution ProcessID='{{ lsass_pid }}' ThreadID='{{ tid }}'/>"
    correlation = f"<Correlation ActivityID='{w['activity_id']}'/>" if 'activity_id' in w else '<Correlation/>'
    data = ''.join(f"<Data Name='{k}'>{xml_text(plain(v))}</Data>" for k, v in ordered(code, ed))
    return ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>" + head +
            "<TimeCreated SystemTime='{{ time | windows }}'/>" + f"<EventRecordID>{record}</EventRecordID>" + correlation + execution +
            f"<Channel>{w['channel']}</Channel><Computer>{FQDN}</Computer>" + security + f"</System><EventData>{data}</EventData></Event>")


XR = {k: to_xml(DOCS[v]) for k, v in R.items()}
QUOTE3 = "'" * 3
xml_events = []
for block in EVENTS:
    # The same event types, weights and settings, with each record's XML twin.
    head, _, rest = block.partition('records = [\n')
    lines = [head + 'records = [\n']
    for line in rest.split('\n'):
        if not line.startswith('  ' + QUOTE3):
            continue
        text = line[2 + 3:-4]
        key = next(k for k, v in R.items() if v == text)
        assert QUOTE3 not in XR[key]
        lines.append('  ' + QUOTE3 + XR[key] + QUOTE3 + ',\n')
    lines.append(']\n')
    xml_events.append(''.join(lines))
XML_PACK = os.path.join(os.path.dirname(os.path.abspath(PACK)), 'windows-security-xml')
os.makedirs(os.path.join(XML_PACK, 'samples'), exist_ok=True)
import shutil
for f in os.listdir(os.path.join(PACK, 'samples')):
    shutil.copy(os.path.join(PACK, 'samples', f), os.path.join(XML_PACK, 'samples', f))
xml_manifest = MANIFEST.replace('name = "windows-security"', 'name = "windows-security-xml"').replace(
    'description = "Windows Security event log (Winlogbeat 8, ECS)', 'description = "Windows Security event log as rendered XML (wevtutil, Windows Event Forwarding)').replace(
    'format = "json"', 'format = "text"\nescape = "xml"\nextension = "xml"')
import re as _re
xml_manifest = _re.sub(r"(?m)^record_id = .*$", lambda _m: "record_id = '^(?=.*?<Computer>([^<]+)</Computer>).*?<EventRecordID>(\\d+)</EventRecordID>'", xml_manifest)
xml_manifest = ('# The windows-security pack\'s events as Windows renders them: one <Event> element per line, as `wevtutil qe Security\n'
                '# /f:xml` prints them and Windows Event Forwarding carries them (generated with windows-security by\n'
                '# bench/dev/windows-security-pack.py). Same sessions, values and rates as windows-security.\n') + xml_manifest
open(os.path.join(XML_PACK, 'pack.toml'), 'w').write(xml_manifest + '\n\n'.join(xml_events) + '\n')
print('written', XML_PACK)
