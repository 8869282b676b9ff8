import { readFileSync } from 'node:fs';
import { actorsConfigSchema } from '../../src/config/actors-config.js';
import { validate } from '../../src/config/validate.js';
import { Shredder } from '../../src/encode/parquet/shredder.js';
import { buildPopulation } from '../../src/population/build.js';
import { cloudTrailParquet } from '../../src/sources/cloudtrail/parquet.js';
import { BENCH_ACTORS } from '../spec.js';
const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
const buf = readFileSync('/tmp/pq/staged.jsonl');
const shredder = new Shredder(cloudTrailParquet, population.actors);
for (let round = 0; round < Number(process.env.ROUNDS ?? 4); round++) {
  const t0 = performance.now();
  let rows = 0;
  let p = 0;
  while (p < buf.length) {
    const nl = buf.indexOf(10, p);
    const end = nl < 0 ? buf.length : nl;
    let a = 0; let q = p + 6;
    while (buf[q] !== 44) a = a * 10 + buf[q++] - 48;
    shredder.add(buf, p, end, a);
    rows++;
    p = end + 1;
    if (shredder.rows === 16384) shredder.reset();
  }
  shredder.reset();
  console.log(`shred ${(rows / (performance.now() - t0)).toFixed(0)}k rows/s`);
}
