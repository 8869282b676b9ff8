.read scripts/duckdb/00_load.sql
-- Steps: each principal's calls in order (a service's session-opening AssumeRole belongs to the role session it opens)
CREATE OR REPLACE TEMP VIEW seclog_steps AS
SELECT coalesce(userIdentity.arn, (responseElements->>'$.assumedRoleUser.arn'), userIdentity.invokedBy) AS principal,
       eventTime, eventID, eventName,
       lag(eventName) OVER (PARTITION BY coalesce(userIdentity.arn, (responseElements->>'$.assumedRoleUser.arn'), userIdentity.invokedBy) ORDER BY eventTime, eventID) AS previous_event
FROM cloudtrail;
-- Top transitions between consecutive calls of one principal
SELECT coalesce(previous_event, '(first call)') AS previous_event, eventName, count(*) AS transitions
FROM seclog_steps GROUP BY ALL ORDER BY transitions DESC, previous_event, eventName LIMIT 25;
-- AssumeRole calls by people and roles (not AWS services) whose session began with a sign-in or a session token
SELECT count(*) AS assume_role_calls,
       count(o.eventTime) AS in_session_opened_by_login_or_token,
       round(100.0 * count(o.eventTime) / nullif(count(*), 0), 1) AS pct
FROM cloudtrail c
LEFT JOIN (SELECT DISTINCT userIdentity.arn AS arn, eventTime FROM cloudtrail WHERE eventName IN ('ConsoleLogin', 'GetSessionToken')) o
  ON o.arn = c.userIdentity.arn AND o.eventTime = c.userIdentity.sessionContext.attributes.creationDate
WHERE c.eventName = 'AssumeRole' AND c.userIdentity.type <> 'AWSService';
