.read scripts/duckdb/00_load.sql
-- Totals
SELECT count(*) AS records,
       count(DISTINCT eventName) AS event_names,
       count(DISTINCT eventSource) AS services,
       count(DISTINCT coalesce(userIdentity.arn, userIdentity.invokedBy)) AS principals,
       count(DISTINCT recipientAccountId) AS accounts,
       min(eventTime) AS first_event,
       max(eventTime) AS last_event
FROM cloudtrail;
-- Events by outcome
SELECT eventName,
       count(*) FILTER (WHERE errorCode IS NULL AND errorMessage IS NULL) AS success,
       count(*) FILTER (WHERE errorCode IS NOT NULL OR errorMessage IS NOT NULL) AS failure,
       count(*) AS total
FROM cloudtrail GROUP BY eventName ORDER BY total DESC, eventName;
-- Top actors
SELECT coalesce(userIdentity.arn, userIdentity.invokedBy) AS actor, userIdentity.type AS identity_type, count(*) AS events
FROM cloudtrail GROUP BY ALL ORDER BY events DESC, actor LIMIT 20;
-- Top user agents
SELECT userAgent, count(*) AS events FROM cloudtrail GROUP BY ALL ORDER BY events DESC, userAgent LIMIT 15;
-- Events per region
SELECT awsRegion, count(*) AS events, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct
FROM cloudtrail GROUP BY ALL ORDER BY events DESC, awsRegion;
-- Volume per 5 minutes
SELECT time_bucket(INTERVAL 5 MINUTE, eventTime) AS bucket, count(*) AS events FROM cloudtrail GROUP BY ALL ORDER BY bucket;
