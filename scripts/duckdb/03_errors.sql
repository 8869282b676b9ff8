.read scripts/duckdb/00_load.sql
-- Overall error rate
SELECT count(*) AS calls,
       count(*) FILTER (WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL) AS errors,
       round(100.0 * count(*) FILTER (WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL) / count(*), 3) AS error_pct
FROM cloudtrail;
-- Error rate per event
SELECT eventName, count(*) AS calls,
       count(*) FILTER (WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL) AS errors,
       round(100.0 * count(*) FILTER (WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL) / count(*), 2) AS error_pct
FROM cloudtrail GROUP BY ALL HAVING errors > 0 ORDER BY errors DESC, eventName;
-- Errors by code
SELECT coalesce(errorCode, '(message only)') AS error_code, count(*) AS errors, count(DISTINCT eventName) AS events, min(errorMessage) AS example_message
FROM cloudtrail WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL GROUP BY ALL ORDER BY errors DESC, error_code;
