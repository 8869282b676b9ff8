.read scripts/duckdb/okta/00_load.sql
-- Sign-in outcomes: share of failed password checks and MFA attempts, and lockouts
SELECT eventType, count(*) AS attempts, round(100.0 * count(*) FILTER (WHERE outcome.result = 'FAILURE') / count(*), 2) AS failed_pct
FROM okta WHERE eventType IN ('user.session.start', 'user.authentication.auth_via_mfa', 'user.account.lock') GROUP BY ALL ORDER BY attempts DESC;
-- Sign-in model checks (each must find no violation)
WITH checks AS (
  -- A session starts after its sign-on policy was evaluated, in the same Okta session.
  SELECT 'every user.session.start follows its policy.evaluate_sign_on' AS "check", count(*) AS violations
  FROM okta s WHERE s.eventType = 'user.session.start' AND NOT EXISTS (
    SELECT 1 FROM okta p WHERE p.eventType = 'policy.evaluate_sign_on' AND p.actor.id = s.actor.id
      AND p.authenticationContext.externalSessionId = s.authenticationContext.externalSessionId AND p.published <= s.published)
  UNION ALL
  -- Single sign-on happens inside a session: the person signed in (session start succeeded) before, from the same session.
  SELECT 'every user.authentication.sso inside a signed-in session', count(*)
  FROM okta o WHERE o.eventType = 'user.authentication.sso' AND NOT EXISTS (
    SELECT 1 FROM okta s WHERE s.eventType = 'user.session.start' AND s.outcome.result = 'SUCCESS' AND s.actor.id = o.actor.id
      AND s.authenticationContext.externalSessionId = o.authenticationContext.externalSessionId AND s.published <= o.published)
  UNION ALL
  SELECT 'one uuid per event', count(*) FROM (SELECT uuid FROM okta GROUP BY uuid HAVING count(*) > 1)
)
SELECT "check", violations, CASE WHEN violations = 0 THEN 'PASS' ELSE 'FAIL' END AS status FROM checks;
