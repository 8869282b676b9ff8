.read scripts/duckdb/entra/00_load.sql
-- Entra sign-ins by category and result (AADSTS code; 0 = success)
SELECT category, resultType, count(*) AS sign_ins, count(DISTINCT properties.userPrincipalName) AS people
FROM entra_signin GROUP BY ALL ORDER BY sign_ins DESC;
-- Interactive sign-ins: share failed, and conditional access outcomes
SELECT count(*) AS interactive, round(100.0 * count(*) FILTER (WHERE resultType <> '0') / count(*), 2) AS failed_pct,
       count(*) FILTER (WHERE properties.conditionalAccessStatus = 'failure') AS blocked_by_conditional_access
FROM entra_signin WHERE category = 'SignInLogs';
