#!/usr/bin/env python3
"""Writes src/scenarios/library/stratus.ts: one scenario per Stratus Red Team AWS technique whose real detonation
CloudTrail is in test/fixtures/reference/cloudtrail/ (records.jsonl + provenance.tsv; DataDog/stratus-red-team,
docs/detonation-logs/, Apache-2.0). Each record becomes a step template: its request, response, resources, errors
and TLS host as detonated; the identity, time, ids, address and client are the instance's (victim, attacker).
Run from the repository root; commit the output."""
import csv, json, re, statistics
from datetime import datetime

REF = 'test/fixtures/reference/cloudtrail'
OUT = 'src/scenarios/library/stratus.ts'

# technique file -> (ATT&CK technique, tactic, title). Tactics are ATT&CK's for the technique.
TECHNIQUES = {
    'aws.credential-access.ec2-get-password-data': ('T1552', 'credential-access', 'Retrieve EC2 Windows password data'),
    'aws.credential-access.ec2-steal-instance-credentials': ('T1552.005', 'credential-access', 'Steal EC2 instance credentials through SSM'),
    'aws.credential-access.secretsmanager-batch-retrieve-secrets': ('T1555.006', 'credential-access', 'Retrieve many Secrets Manager secrets in batch'),
    'aws.credential-access.secretsmanager-retrieve-secrets': ('T1555.006', 'credential-access', 'Retrieve Secrets Manager secrets'),
    'aws.credential-access.ssm-retrieve-securestring-parameters': ('T1552', 'credential-access', 'Retrieve SSM SecureString parameters'),
    'aws.defense-evasion.cloudtrail-delete': ('T1562.008', 'defense-evasion', 'Delete a CloudTrail trail'),
    'aws.defense-evasion.cloudtrail-event-selectors': ('T1562.008', 'defense-evasion', 'Stop logging management events with event selectors'),
    'aws.defense-evasion.cloudtrail-stop': ('T1562.008', 'defense-evasion', 'Stop a CloudTrail trail'),
    'aws.defense-evasion.dns-delete-logs': ('T1562.008', 'defense-evasion', 'Delete Route 53 resolver query logging'),
    'aws.defense-evasion.organizations-leave': ('T1666', 'defense-evasion', 'Leave the AWS organization'),
    'aws.defense-evasion.vpc-remove-flow-logs': ('T1562.008', 'defense-evasion', 'Remove VPC flow logs'),
    'aws.discovery.ec2-download-user-data': ('T1580', 'discovery', 'Download EC2 instance user data'),
    'aws.execution.ec2-launch-unusual-instances': ('T1578.002', 'defense-evasion', 'Launch unusual EC2 instances'),
    'aws.execution.ec2-user-data': ('T1059.009', 'execution', 'Execute commands through EC2 user data'),
    'aws.execution.ssm-send-command': ('T1651', 'execution', 'Run commands on instances with SSM SendCommand'),
    'aws.execution.ssm-start-session': ('T1651', 'execution', 'Open SSM sessions on instances'),
    'aws.exfiltration.ec2-security-group-open-port-22-ingress': ('T1562.007', 'defense-evasion', 'Open port 22 to the internet in a security group'),
    'aws.exfiltration.ec2-share-ami': ('T1537', 'exfiltration', 'Share an AMI with an external account'),
    'aws.exfiltration.ec2-share-ebs-snapshot': ('T1537', 'exfiltration', 'Share an EBS snapshot with an external account'),
    'aws.exfiltration.rds-share-snapshot': ('T1537', 'exfiltration', 'Share an RDS snapshot with an external account'),
    'aws.impact.bedrock-invoke-model': ('T1496.004', 'impact', 'Enable and invoke Bedrock models (LLMjacking)'),
    'aws.initial-access.console-login-without-mfa': ('T1078.004', 'initial-access', 'Console sign-in without MFA'),
    'aws.lateral-movement.ec2-instance-connect': ('T1021.008', 'lateral-movement', 'Push SSH keys with EC2 Instance Connect'),
    'aws.lateral-movement.ec2-serial-console-send-ssh-public-key': ('T1021.008', 'lateral-movement', 'Push SSH keys through the EC2 serial console'),
    'aws.persistence.iam-backdoor-role': ('T1098.003', 'persistence', 'Backdoor a role\'s trust policy'),
    'aws.persistence.iam-backdoor-user': ('T1098.001', 'persistence', 'Create an access key for another user'),
    'aws.persistence.iam-create-admin-user': ('T1136.003', 'persistence', 'Create an administrator IAM user'),
    'aws.persistence.iam-create-backdoor-role': ('T1098.003', 'persistence', 'Create a backdoor role'),
    'aws.persistence.iam-create-user-login-profile': ('T1098.001', 'persistence', 'Create a console password for a user'),
    'aws.persistence.lambda-backdoor-function': ('T1546', 'persistence', 'Let anyone invoke a Lambda function'),
    'aws.persistence.lambda-layer-extension': ('T1546', 'persistence', 'Add a malicious Lambda layer'),
    'aws.persistence.lambda-overwrite-code': ('T1648', 'execution', 'Overwrite a Lambda function\'s code'),
    'aws.persistence.rolesanywhere-create-trust-anchor': ('T1484.002', 'privilege-escalation', 'Trust an external CA with IAM Roles Anywhere'),
    'aws.persistence.sts-federation-token': ('T1550.001', 'defense-evasion', 'Keep access with federation tokens'),
    'aws.privilege-escalation.iam-update-user-login-profile': ('T1098.001', 'persistence', 'Change another user\'s console password'),
}

GLOBAL_SOURCES = {'iam.amazonaws.com', 'sts.amazonaws.com', 'organizations.amazonaws.com', 'signin.amazonaws.com'}
DROP = {'userIdentity', 'eventTime', 'eventID', 'requestID', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'vpcEndpointId', 'vpcEndpointAccountId', 'sharedEventID', 'sessionCredentialFromConsole'}
NAME = re.compile(r'(stratus[-_]red[-_]team|malicious)[-\w]*', re.I)
JAVA_DATE = re.compile(r'^[A-Z][a-z]{2} \d{1,2}, \d{4},? \d{1,2}:\d{2}:\d{2} [AP]M$')
ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+0000)$')


def tool_tag(x):
    return isinstance(x, dict) and str(x.get('key', x.get('Key', ''))).lower().startswith('stratus')


def templated(value, account, region, principal=None):
    if isinstance(value, str):
        if principal and principal in value and 'stratus' not in principal.lower():
            value = re.sub(r'(user|assumed-role/[^/"]+)/' + re.escape(principal) + r'\b', lambda m: m.group(0).replace(principal, '{{victim.user_name}}'), value)
            # SSM session ids start with the caller's name.
            value = value.replace(principal + '-', '{{victim.user_name}}-')
        m = JAVA_DATE.match(value)
        if m:
            return '{{time.java_comma}}' if ', ' in value[value.index(',') + 1:] else '{{time.java}}'
        m = ISO_DATE.match(value)
        if m:
            return '{{time.lambda}}' if value.endswith('+0000') else '{{time.iso}}'
        if value == 'StratusRedTeam':
            return 'Environment'
        v = NAME.sub('{{name}}', value)
        if account:
            v = v.replace(account, '{{victim.account}}')
        if region:
            v = v.replace(region, '{{victim.region}}')
        return v
    if isinstance(value, list):
        return [templated(x, account, region, principal) for x in value if not tool_tag(x)]
    if isinstance(value, dict):
        return {k: templated(x, account, region, principal) for k, x in value.items()}
    return value


def main():
    rows = list(csv.DictReader(open(f'{REF}/provenance.tsv'), delimiter='\t'))
    records = [json.loads(l) for l in open(f'{REF}/records.jsonl')]
    by = {}
    for row, rec in zip(rows, records):
        if row['repository'] != 'DataDog/stratus-red-team':
            continue
        tech = row['path'].split('/')[-1][: -len('.json')]
        by.setdefault(tech, []).append(rec)
    assert set(by) == set(TECHNIQUES), set(by) ^ set(TECHNIQUES)
    scenarios = []
    for tech, recs in sorted(by.items()):
        recs.sort(key=lambda r: r['eventTime'])
        technique, tactic, title = TECHNIQUES[tech]
        steps = []
        prev = None
        for rec in recs:
            t = datetime.fromisoformat(rec['eventTime'].replace('Z', '+00:00')).timestamp()
            account = rec.get('recipientAccountId') or rec['userIdentity'].get('accountId')
            region = rec['awsRegion']
            principal = rec['userIdentity'].get('userName') or (rec['userIdentity'].get('arn') or '').split('/')[-1] or None
            template = {k: templated(v, account, region, principal) for k, v in rec.items() if k not in DROP}
            template['awsRegion'] = 'us-east-1' if rec['eventSource'] in GLOBAL_SOURCES else '{{victim.region}}'
            if 'requestID' not in rec:
                template['requestID'] = None
            gap = 0 if prev is None else max(0, t - prev)
            prev = t
            key = (rec['eventSource'], rec['eventName'], json.dumps(template.get('requestParameters'), sort_keys=True), rec.get('errorCode'))
            if steps and steps[-1]['key'][:2] == key[:2] and steps[-1]['key'][3] == key[3]:
                steps[-1]['count'] += 1
                steps[-1]['gaps'].append(gap)
                continue
            steps.append({'key': key, 'template': template, 'count': 1, 'gaps': [], 'after': gap})
        out_steps = []
        for i, s in enumerate(steps):
            name = s['template']['eventName']
            step = {'name': f"{i + 1}-{name}", 'source': 'cloudtrail', 'event': 'record', 'techniques': [technique], 'tactic': tactic, 'record': s['template']}
            if i > 0:
                d = max(1.0, min(600.0, s['after']))
                step['after'] = {'min_s': round(d / 2, 1), 'median_s': round(d, 1), 'max_s': round(d * 2, 1)}
            if s['count'] > 1:
                g = max(0.2, min(60.0, statistics.median(s['gaps']) or 0.5))
                step['repeat'] = {'min': max(1, s['count'] // 2), 'max': s['count'], 'gap': {'min_s': round(g / 2, 2), 'median_s': round(g, 2), 'max_s': round(g * 3, 2)}}
            out_steps.append(step)
        scenarios.append({
            'name': 'stratus.' + tech[len('aws.'):],
            'title': title,
            'origin': f'Stratus Red Team {tech}: real detonation CloudTrail (DataDog/stratus-red-team docs/detonation-logs/{tech}.json, Apache-2.0)',
            'victim': {'kind': 'human', 'roles': ['admin', 'developer']},
            'when': 'any',
            'steps': out_steps,
        })
    with open(OUT, 'w') as f:
        f.write('/**\n * Generated by bench/dev/stratus-scenarios.py from the Stratus Red Team detonation records in\n')
        f.write(' * test/fixtures/reference/cloudtrail/ (DataDog/stratus-red-team, Apache-2.0). Do not edit: change the script.\n */\n')
        f.write("import type { ScenarioSpec } from '../types.js';\n\n")
        f.write('export const STRATUS: readonly ScenarioSpec[] = ')
        f.write(json.dumps(scenarios, indent=1))
        f.write(';\n')
    print(f'{OUT}: {len(scenarios)} scenarios, {sum(len(s["steps"]) for s in scenarios)} steps')


main()
