/**
 * AWS services the catalog covers: how each appears in a record (eventSource, endpoint host) and in clients
 * (IAM action prefix, CLI command group, SDK id used in Go/JS user agents).
 */
export interface ServiceInfo {
  readonly eventSource: string;
  /** Endpoint prefix: the host is `<endpoint>.<region>.amazonaws.com` unless `globalHost` is set. */
  readonly endpoint: string;
  /** Host of a global service (IAM, sign-in, Organizations): every call is logged in us-east-1. */
  readonly globalHost?: string;
  readonly iamPrefix: string;
  readonly cli: string;
  readonly sdk: string;
}

export const SERVICES: Readonly<Record<string, ServiceInfo>> = {
  sts: { eventSource: 'sts.amazonaws.com', endpoint: 'sts', iamPrefix: 'sts', cli: 'sts', sdk: 'sts' },
  signin: { eventSource: 'signin.amazonaws.com', endpoint: 'signin', globalHost: 'signin.aws.amazon.com', iamPrefix: 'signin', cli: 'signin', sdk: 'signin' },
  iam: { eventSource: 'iam.amazonaws.com', endpoint: 'iam', globalHost: 'iam.amazonaws.com', iamPrefix: 'iam', cli: 'iam', sdk: 'iam' },
  s3: { eventSource: 's3.amazonaws.com', endpoint: 's3', iamPrefix: 's3', cli: 's3api', sdk: 's3' },
  ec2: { eventSource: 'ec2.amazonaws.com', endpoint: 'ec2', iamPrefix: 'ec2', cli: 'ec2', sdk: 'ec2' },
  kms: { eventSource: 'kms.amazonaws.com', endpoint: 'kms', iamPrefix: 'kms', cli: 'kms', sdk: 'kms' },
  lambda: { eventSource: 'lambda.amazonaws.com', endpoint: 'lambda', iamPrefix: 'lambda', cli: 'lambda', sdk: 'lambda' },
  logs: { eventSource: 'logs.amazonaws.com', endpoint: 'logs', iamPrefix: 'logs', cli: 'logs', sdk: 'cloudwatchlogs' },
  cloudtrail: { eventSource: 'cloudtrail.amazonaws.com', endpoint: 'cloudtrail', iamPrefix: 'cloudtrail', cli: 'cloudtrail', sdk: 'cloudtrail' },
  secretsmanager: { eventSource: 'secretsmanager.amazonaws.com', endpoint: 'secretsmanager', iamPrefix: 'secretsmanager', cli: 'secretsmanager', sdk: 'secretsmanager' },
  ssm: { eventSource: 'ssm.amazonaws.com', endpoint: 'ssm', iamPrefix: 'ssm', cli: 'ssm', sdk: 'ssm' },
  monitoring: { eventSource: 'monitoring.amazonaws.com', endpoint: 'monitoring', iamPrefix: 'cloudwatch', cli: 'cloudwatch', sdk: 'cloudwatch' },
  dynamodb: { eventSource: 'dynamodb.amazonaws.com', endpoint: 'dynamodb', iamPrefix: 'dynamodb', cli: 'dynamodb', sdk: 'dynamodb' },
  glue: { eventSource: 'glue.amazonaws.com', endpoint: 'glue', iamPrefix: 'glue', cli: 'glue', sdk: 'glue' },
  athena: { eventSource: 'athena.amazonaws.com', endpoint: 'athena', iamPrefix: 'athena', cli: 'athena', sdk: 'athena' },
  ecr: { eventSource: 'ecr.amazonaws.com', endpoint: 'api.ecr', iamPrefix: 'ecr', cli: 'ecr', sdk: 'ecr' },
  ecs: { eventSource: 'ecs.amazonaws.com', endpoint: 'ecs', iamPrefix: 'ecs', cli: 'ecs', sdk: 'ecs' },
  rds: { eventSource: 'rds.amazonaws.com', endpoint: 'rds', iamPrefix: 'rds', cli: 'rds', sdk: 'rds' },
  sns: { eventSource: 'sns.amazonaws.com', endpoint: 'sns', iamPrefix: 'sns', cli: 'sns', sdk: 'sns' },
  elasticloadbalancing: { eventSource: 'elasticloadbalancing.amazonaws.com', endpoint: 'elasticloadbalancing', iamPrefix: 'elasticloadbalancing', cli: 'elbv2', sdk: 'elasticloadbalancingv2' },
  account: { eventSource: 'account.amazonaws.com', endpoint: 'account', globalHost: 'account.us-east-1.amazonaws.com', iamPrefix: 'account', cli: 'account', sdk: 'account' },
  organizations: { eventSource: 'organizations.amazonaws.com', endpoint: 'organizations', globalHost: 'organizations.us-east-1.amazonaws.com', iamPrefix: 'organizations', cli: 'organizations', sdk: 'organizations' },
  guardduty: { eventSource: 'guardduty.amazonaws.com', endpoint: 'guardduty', iamPrefix: 'guardduty', cli: 'guardduty', sdk: 'guardduty' },
  config: { eventSource: 'config.amazonaws.com', endpoint: 'config', iamPrefix: 'config', cli: 'configservice', sdk: 'configservice' },
  'ec2-instance-connect': { eventSource: 'ec2-instance-connect.amazonaws.com', endpoint: 'ec2-instance-connect', iamPrefix: 'ec2-instance-connect', cli: 'ec2-instance-connect', sdk: 'ec2instanceconnect' },
  bedrock: { eventSource: 'bedrock.amazonaws.com', endpoint: 'bedrock', iamPrefix: 'bedrock', cli: 'bedrock', sdk: 'bedrock' },
  cloudformation: { eventSource: 'cloudformation.amazonaws.com', endpoint: 'cloudformation', iamPrefix: 'cloudformation', cli: 'cloudformation', sdk: 'cloudformation' },
  elasticfilesystem: { eventSource: 'elasticfilesystem.amazonaws.com', endpoint: 'elasticfilesystem', iamPrefix: 'elasticfilesystem', cli: 'efs', sdk: 'efs' },
  events: { eventSource: 'events.amazonaws.com', endpoint: 'events', iamPrefix: 'events', cli: 'events', sdk: 'eventbridge' },
  grafana: { eventSource: 'grafana.amazonaws.com', endpoint: 'grafana', iamPrefix: 'grafana', cli: 'grafana', sdk: 'grafana' },
  rolesanywhere: { eventSource: 'rolesanywhere.amazonaws.com', endpoint: 'rolesanywhere', iamPrefix: 'rolesanywhere', cli: 'rolesanywhere', sdk: 'rolesanywhere' },
  route53resolver: { eventSource: 'route53resolver.amazonaws.com', endpoint: 'route53resolver', iamPrefix: 'route53resolver', cli: 'route53resolver', sdk: 'route53resolver' },
  s3express: { eventSource: 's3express.amazonaws.com', endpoint: 's3express-control', iamPrefix: 's3express', cli: 's3api', sdk: 's3' },
  wafv2: { eventSource: 'wafv2.amazonaws.com', endpoint: 'wafv2', iamPrefix: 'wafv2', cli: 'wafv2', sdk: 'wafv2' },
};
