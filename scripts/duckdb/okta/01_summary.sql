.read scripts/duckdb/okta/00_load.sql
-- Okta events by type and outcome
SELECT eventType, outcome.result AS result, count(*) AS events, count(DISTINCT actor.id) AS actors
FROM okta GROUP BY ALL ORDER BY events DESC;
-- Okta events per person per day (people: actor type User)
SELECT date_trunc('day', published) AS day, count(DISTINCT actor.id) AS people, round(count(*) / count(DISTINCT actor.id), 1) AS events_per_person
FROM okta WHERE actor.type = 'User' GROUP BY ALL ORDER BY day;
