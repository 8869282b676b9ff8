.read scripts/duckdb/okta/00_load.sql
-- Across sources (needs the cloudtrail view: run scripts/duckdb/00_load.sql first, with seclog_cloudtrail_data set).
-- Every SAML federation into AWS through the account's Okta SAML provider has the person's Okta SSO to the AWS app before it: same e-mail, same address,
-- at most 5 minutes earlier (CloudTrail's eventTime is whole seconds).
CREATE OR REPLACE TEMP VIEW seclog_federations AS
SELECT userIdentity.userName AS login, sourceIPAddress AS ip, eventTime
FROM cloudtrail WHERE eventName = 'AssumeRoleWithSAML' AND (requestParameters->>'$.principalArn') LIKE '%:saml-provider/Okta';
CREATE OR REPLACE TEMP VIEW seclog_aws_sso AS
SELECT actor.alternateId AS login, client.ipAddress AS ip, published
FROM okta WHERE eventType = 'user.authentication.sso' AND target[1].displayName = 'AWS Account Federation' AND outcome.result = 'SUCCESS';
-- Federations and their Okta sign-ins
SELECT count(*) AS federations,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM seclog_aws_sso s WHERE s.login = f.login AND s.ip = f.ip
         AND s.published <= f.eventTime + INTERVAL 1 SECOND AND s.published >= f.eventTime - INTERVAL 5 MINUTE)) AS with_okta_sign_in
FROM seclog_federations f;
-- Cross-source checks (each must find no violation)
WITH checks AS (
  SELECT 'every AssumeRoleWithSAML has its Okta SSO to AWS before it (same person, same address, within 5 minutes)' AS "check", count(*) AS violations
  FROM seclog_federations f WHERE NOT EXISTS (SELECT 1 FROM seclog_aws_sso s WHERE s.login = f.login AND s.ip = f.ip
    AND s.published <= f.eventTime + INTERVAL 1 SECOND AND s.published >= f.eventTime - INTERVAL 5 MINUTE)
  UNION ALL
  SELECT 'every federated ConsoleLogin says MFAUsed No', count(*)
  FROM cloudtrail WHERE eventName = 'ConsoleLogin' AND (additionalEventData->>'$.SamlProviderArn') IS NOT NULL AND (additionalEventData->>'$.MFAUsed') <> 'No'
)
SELECT "check", violations, CASE WHEN violations = 0 THEN 'PASS' ELSE 'FAIL' END AS status FROM checks;
