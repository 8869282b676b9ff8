/**
 * CloudTrail's delivery files, as a trail writes them to S3: per account, region and 5 minutes (of event time, or of delivery time under `[delivery] delayed`, as the real names say when the file was delivered), gzip
 * files holding `{"Records":[…]}` at
 * `AWSLogs/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`,
 * so tools that read CloudTrail from S3 (Databricks Auto Loader, Splunk's AWS add-on, Elastic's aws-s3 input,
 * Athena) read them unchanged. A busy account-region splits a 5-minute group over several files.
 */
import type { DeliveryDelay } from '../delivery-delay.js';
import { compactStamp } from '../../encode/time-format.js';
import type { DeliveryLayout } from '../source.js';

const NAME = /^\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;

export const CLOUDTRAIL_DELIVERY: DeliveryLayout = {
  groupBy: ['recipientAccountId', 'awsRegion'],
  intervalMs: 5 * 60_000,
  head: '{"Records":[',
  tail: ']}',
  uniqueLength: 16,
  path([account, region], deliveredMs, unique) {
    const stamp = `${compactStamp(deliveredMs).slice(0, 13)}Z`; // YYYYMMDDTHHmmZ
    return `AWSLogs/${account}/CloudTrail/${region}/${stamp.slice(0, 4)}/${stamp.slice(4, 6)}/${stamp.slice(6, 8)}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
  },
  isRoot: (name) => name === 'AWSLogs',
  isFileName: (name) => NAME.test(name),
  alias: 'cloudtrail_delivery',
};

/**
 * When CloudTrail's records reach a consumer: "CloudTrail typically delivers logs within an average of about 5
 * minutes of an API call. This time is not guaranteed." (AWS CloudTrail User Guide, "How CloudTrail works"; files are
 * published about every five minutes). A log-normal around five minutes: 99 % within 11.3 minutes, none after 15.
 */
export const CLOUDTRAIL_DELIVERY_DELAY: DeliveryDelay = { median_seconds: 300, sigma: 0.35, max_seconds: 900 };
