/** CloudTrail, CloudWatch, DynamoDB, Glue, Athena, ECR, ECS, RDS, SNS, ELB, Organizations, GuardDuty, Config. */
import { fmt, ref } from '../../../encode/layout/index.js';
import { ERR, WHO, type CatalogGroup, type EventSpec } from './types.js';

const read = (service: string, name: string, weight: number, who: EventSpec['who'], request: EventSpec['request'], errors: EventSpec['errors'] = [ERR.accessDeniedException, ERR.throttling]): EventSpec => ({
  name,
  service,
  weight,
  readOnly: true,
  management: true,
  who,
  request,
  response: null,
  errors,
});
const metricQuery = {
  metricDataQueries: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ name: 'InstanceId', value: ref('instanceId') }] }, period: 300, stat: 'Average' }, returnData: true }],
  startTime: ref('metricStart'),
  endTime: ref('metricEnd'),
};
const analysts = { datalake_bot: 1, developer: 0.5, readonly: 0.3 };

const EVENTS: readonly EventSpec[] = [
  // CloudTrail
  read('cloudtrail', 'LookupEvents', 2, WHO.auditors, { maxResults: 50, lookupAttributes: [{ attributeKey: 'EventName', attributeValue: ref('lookupEventName') }] }, [ERR.accessDeniedException, ERR.throttling]),
  read('cloudtrail', 'DescribeTrails', 1.5, { ...WHO.auditors, metrics_collector: 0.3 }, { trailNameList: [], includeShadowTrails: true }),
  read('cloudtrail', 'GetTrailStatus', 1, WHO.auditors, { name: ref('trailArn') }),
  read('cloudtrail', 'GetEventSelectors', 0.5, WHO.auditors, { trailName: ref('trailArn') }),
  // Trail name in its home region, ARN elsewhere (gov.trailRef, governance.ts); CloudTrail logs no resources for it.
  { name: 'StopLogging', service: 'cloudtrail', weight: 0.005, readOnly: false, management: true, who: WHO.admins, request: { name: ref('gov.trailRef') }, response: null, errors: [ERR.accessDeniedException, { code: 'TrailNotFoundException', message: 'Unknown trail: {gov.trailRef} for the user: {accountId}', weight: 1 }] },
  // CloudWatch
  read('monitoring', 'GetMetricData', 8, { metrics_collector: 4, readonly: 0.5, admin: 0.3, developer: 0.3 }, metricQuery),
  read('monitoring', 'ListMetrics', 3, { metrics_collector: 2, readonly: 0.3 }, { namespace: ref('metricNamespace') }),
  read('monitoring', 'DescribeAlarms', 3, { metrics_collector: 1, ...WHO.readers }, { maxRecords: 100 }),
  { name: 'PutMetricAlarm', service: 'monitoring', weight: 0.1, readOnly: false, management: true, who: { admin: 0.5, developer: 0.5 }, request: { alarmName: fmt('{instanceId}-high-cpu'), metricName: 'CPUUtilization', namespace: 'AWS/EC2', statistic: 'Average', dimensions: [{ name: 'InstanceId', value: ref('instanceId') }], period: 300, evaluationPeriods: 2, threshold: 80.0, comparisonOperator: 'GreaterThanThreshold' }, response: null, errors: [ERR.accessDenied] },
  // DynamoDB
  read('dynamodb', 'DescribeTable', 3, { generic: 1.5, developer: 0.5, readonly: 0.3 }, { tableName: ref('tableName') }, [ERR.accessDeniedException, { code: 'ResourceNotFoundException', message: 'Requested resource not found: Table: {tableName} not found', weight: 1 }]),
  read('dynamodb', 'ListTables', 1.5, { ...WHO.readers, generic: 0.3 }, null),
  // Glue and Athena (the data-lake pipeline)
  read('glue', 'GetDatabase', 2, analysts, { name: ref('glueDatabase') }),
  read('glue', 'GetTable', 4, analysts, { databaseName: ref('glueDatabase'), name: ref('glueTable') }, [ERR.accessDeniedException, { code: 'EntityNotFoundException', message: 'Table {glueTable} not found.', weight: 1 }]),
  read('glue', 'GetPartitions', 3, { datalake_bot: 2 }, { databaseName: ref('glueDatabase'), tableName: ref('glueTable') }),
  { name: 'StartQueryExecution', service: 'athena', weight: 2, readOnly: false, management: true, who: analysts, request: { queryString: ref('athenaQuery'), clientRequestToken: ref('clientToken'), queryExecutionContext: { database: ref('glueDatabase') }, workGroup: 'primary' }, response: { queryExecutionId: ref('uuid') }, errors: [ERR.accessDeniedException, { code: 'InvalidRequestException', message: "line 1:8: mismatched input 'FORM'. Expecting: 'FROM'", weight: 1 }] },
  read('athena', 'GetQueryExecution', 4, analysts, { queryExecutionId: ref('uuid') }),
  read('athena', 'GetQueryResults', 2, analysts, { queryExecutionId: ref('uuid'), maxResults: 1000 }),
  // Containers
  { name: 'GetAuthorizationToken', service: 'ecr', weight: 3, readOnly: true, management: true, who: { generic: 1, logs_shipper: 1, developer: 0.5, datalake_bot: 0.5 }, request: null, response: null, errors: [ERR.accessDeniedException] },
  read('ecr', 'DescribeRepositories', 1, WHO.builders, null),
  read('ecs', 'DescribeServices', 2, { ...WHO.builders, metrics_collector: 1 }, { cluster: ref('ecsCluster'), services: [ref('ecsService')] }),
  read('ecs', 'ListTasks', 1.5, { ...WHO.builders, metrics_collector: 0.5 }, { cluster: ref('ecsCluster') }),
  // Databases, messaging, load balancing
  read('rds', 'DescribeDBInstances', 2, { ...WHO.readers, metrics_collector: 1 }, null),
  read('sns', 'ListTopics', 1, WHO.readers, null),
  read('sns', 'GetTopicAttributes', 1, { generic: 0.5, developer: 0.3 }, { topicArn: ref('topicArn') }),
  read('elasticloadbalancing', 'DescribeLoadBalancers', 2, { ...WHO.readers, metrics_collector: 1 }, null),
  read('elasticloadbalancing', 'DescribeTargetHealth', 2, { metrics_collector: 1, developer: 0.3 }, { targetGroupArn: ref('targetGroupArn') }),
  // Governance
  read('organizations', 'DescribeOrganization', 1, { ...WHO.auditors, ...WHO.admins }, null),
  read('organizations', 'ListAccounts', 0.5, WHO.auditors, null),
  read('guardduty', 'ListDetectors', 1, WHO.auditors, null),
  read('guardduty', 'ListFindings', 1, WHO.auditors, { detectorId: ref('detectorId'), maxResults: 50, sortCriteria: { attributeName: 'updatedAt', orderBy: 'DESC' } }),
  read('config', 'DescribeConfigRules', 0.5, WHO.auditors, null),
  read('config', 'DescribeConfigurationRecorderStatus', 0.5, WHO.auditors, null),
];

export const platformGroup: CatalogGroup = { events: EVENTS };
