.read scripts/duckdb/entra/00_load.sql
-- Across sources (needs the cloudtrail view: run scripts/duckdb/00_load.sql first, with seclog_cloudtrail_data set).
-- Every SAML federation into AWS through the account's AzureAD provider has the person's successful Entra sign-in to
-- the AWS app before it: same UPN (= e-mail), same address, at most 5 minutes earlier (CloudTrail's eventTime is
-- whole seconds).
CREATE OR REPLACE TEMP VIEW seclog_entra_federations AS
SELECT userIdentity.userName AS login, sourceIPAddress AS ip, eventTime
FROM cloudtrail WHERE eventName = 'AssumeRoleWithSAML' AND (requestParameters->>'$.principalArn') LIKE '%:saml-provider/AzureAD';
CREATE OR REPLACE TEMP VIEW seclog_entra_aws AS
SELECT properties.userPrincipalName AS login, callerIpAddress AS ip, time
FROM entra_signin WHERE category = 'SignInLogs' AND resultType = '0' AND properties.appDisplayName = 'Amazon Web Services (AWS)';
-- Federations and their Entra sign-ins
SELECT count(*) AS federations,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM seclog_entra_aws s WHERE s.login = f.login AND s.ip = f.ip
         AND s.time <= f.eventTime + INTERVAL 1 SECOND AND s.time >= f.eventTime - INTERVAL 5 MINUTE)) AS with_entra_sign_in
FROM seclog_entra_federations f;
-- Cross-source checks (each must find no violation)
WITH checks AS (
  SELECT 'every AssumeRoleWithSAML through AzureAD has its Entra sign-in to AWS before it (same person, same address, within 5 minutes)' AS "check", count(*) AS violations
  FROM seclog_entra_federations f WHERE NOT EXISTS (SELECT 1 FROM seclog_entra_aws s WHERE s.login = f.login AND s.ip = f.ip
    AND s.time <= f.eventTime + INTERVAL 1 SECOND AND s.time >= f.eventTime - INTERVAL 5 MINUTE)
)
SELECT "check", violations, CASE WHEN violations = 0 THEN 'PASS' ELSE 'FAIL' END AS status FROM checks;
