// Writes the population's identities as the CSV sample Eventum's template picks from (the same columns the
// cloudtrail-like pack reads from the population). Usage: node export-actors.mjs <actors.parquet> <actors.csv>
import { duckdb, sqlString } from '../../dist/src/encode/parquet/duckdb.js';

const [from, to] = process.argv.slice(2);
const c = await duckdb();
await c.run(`COPY (SELECT identity_type, principal_id, identity_arn, account_id, user_name, api_user_agent, COALESCE(workstation_ip, '198.51.100.7') AS ip FROM read_parquet(${sqlString(from)})) TO ${sqlString(to)} (HEADER, DELIMITER ',')`);
