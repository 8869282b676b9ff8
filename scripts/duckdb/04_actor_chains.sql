.read scripts/duckdb/00_load.sql
-- Sessions: every use of a temporary key, with the session it belongs to
CREATE OR REPLACE TEMP VIEW seclog_uses AS
SELECT userIdentity.accessKeyId AS key, userIdentity.arn AS arn, userIdentity.type AS identity_type,
       userIdentity.sessionContext.sessionIssuer.arn AS issuer, userIdentity.sessionContext.attributes.creationDate AS created,
       coalesce(sessionCredentialFromConsole, 'false') = 'true' AS console, eventTime, eventName
FROM cloudtrail WHERE userIdentity.accessKeyId LIKE 'ASIA%';
-- Keys handed out by AssumeRole, AssumeRoleWithSAML, GetSessionToken and GetFederationToken
CREATE OR REPLACE TEMP VIEW seclog_issued AS
SELECT (responseElements->>'$.credentials.accessKeyId') AS key, min(eventTime) AS issued_at
FROM cloudtrail WHERE eventName IN ('AssumeRole', 'AssumeRoleWithSAML', 'GetSessionToken', 'GetFederationToken') AND (responseElements->>'$.credentials.accessKeyId') IS NOT NULL GROUP BY ALL;
-- Session-model checks (each must find no violation)
WITH checks AS (
  SELECT 'one principal per session key' AS "check", count(*) AS violations
  FROM (SELECT key FROM seclog_uses GROUP BY key HAVING count(DISTINCT arn) > 1)
  UNION ALL
  SELECT 'one creation date per session key', count(*)
  FROM (SELECT key FROM seclog_uses GROUP BY key HAVING count(DISTINCT created) > 1)
  UNION ALL
  SELECT 'no call before its session was created', count(*) FROM seclog_uses WHERE eventTime < created
  UNION ALL
  SELECT 'no key used before it was issued', count(*)
  FROM seclog_uses u JOIN seclog_issued i USING (key) WHERE u.eventTime < i.issued_at
  UNION ALL
  -- IAM users open console sessions with ConsoleLogin and CLI sessions with GetSessionToken (or GetFederationToken
  -- for a federated user); service roles get their keys from AssumeRole by the AWS service; Identity Center console
  -- sessions open with ConsoleLogin.
  SELECT 'every session opened by its sign-in, session token or role assumption', count(*)
  FROM (SELECT DISTINCT key, arn, identity_type, issuer, created, console FROM seclog_uses) s
  WHERE NOT (
    (s.console AND EXISTS (SELECT 1 FROM cloudtrail l WHERE l.eventName = 'ConsoleLogin' AND l.userIdentity.arn = s.arn AND l.eventTime = s.created))
    OR (NOT s.console AND EXISTS (SELECT 1 FROM seclog_issued i WHERE i.key = s.key))
    OR (NOT s.console AND s.identity_type = 'AssumedRole' AND s.issuer LIKE '%/AWSReservedSSO_%')
  )
)
SELECT "check", violations, CASE WHEN violations = 0 THEN 'PASS' ELSE 'FAIL' END AS status FROM checks;
