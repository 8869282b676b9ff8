/**
 * `seclog pack`: working with packs (declarative sources, docs/packs.md). `list` the built-in ones, `new` writes a
 * working skeleton, `validate` compiles a pack and writes one record of each event type, `preview` writes records
 * of a pack (or of one event type) to standard output, from the embedded demo population or a population file.
 */
import { Command, Option } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ByteWriter } from '../../encode/byte-writer.js';
import { shardContext } from '../../engine/plan.js';
import type { Actor } from '../../population/actor.js';
import { buildPopulation } from '../../population/build.js';
import { actorsConfigSchema } from '../../population/config.js';
import { readPopulationParquet } from '../../population/parquet.js';
import { validate } from '../../util/validate.js';
import { packPlugin } from '../../sources/pack/index.js';
import { builtInPacks, loadPack } from '../../sources/pack/manifest.js';
import type { PackShard } from '../../sources/pack/shard.js';
import type { RecordOut } from '../../sources/source.js';
import { UsageError } from '../../util/errors.js';
import { wholeNumber } from '../args.js';
import { DEMO_ACTORS } from '../defaults.js';

async function actorsFor(population: string | undefined): Promise<readonly Actor[]> {
  if (population) return (await readPopulationParquet(population, '--population')).actors;
  const config = validate(actorsConfigSchema, DEMO_ACTORS, '(embedded demo actors)');
  return buildPopulation(config, config.seed ?? 7).actors;
}

/** Records of a pack, one string each (a multi-record event gives several), for `preview` and `validate`. */
async function records(pack: string, options: { population?: string; seed: string; count: number; event?: string; eachEvent?: boolean }): Promise<{ event: string; text: string }[]> {
  const plugin = packPlugin({ type: 'pack', pack, params: {} });
  const loaded = loadPack(pack);
  const names = loaded.manifest.events.map((e) => e.name);
  if (options.event !== undefined && !names.includes(options.event)) throw new UsageError(`--event ${JSON.stringify(options.event)}: pack ${loaded.manifest.name} has the events ${names.join(', ')}`);
  const actors = await actorsFor(options.population);
  const runtime = plugin.createRuntime({ type: 'pack', pack, params: {} }, options.seed, actors);
  const w = new ByteWriter(1 << 16);
  const out: { event: string; text: string }[] = [];
  let current = '';
  let start = 0;
  const sink: RecordOut = {
    w,
    commit: () => {
      w.byte(10);
      out.push({ event: current, text: new TextDecoder().decode(w.buf.subarray(start, w.pos)) });
      start = w.pos;
    },
    full: false,
    lastRecordBytes: 0,
    get count() {
      return out.length;
    },
  };
  let time = Date.UTC(2025, 11, 1, 9);
  const ctx = shardContext(options.seed, 0, actors, 1, null, time);
  const shard = plugin.createShard(runtime, ctx) as PackShard;
  const periodic = new Set(loaded.manifest.events.flatMap((e, i) => (e.every_s !== undefined ? [i] : [])));
  const writers = ctx.actors.map((_, i) => i).filter((i) => shard.writesFor(i));
  if (writers.length === 0 && periodic.size < names.length) throw new UsageError(`pack ${loaded.manifest.name}: the population has no actors of the kinds it writes for`);
  if (writers.length === 0) writers.push(0);
  const wanted = options.eachEvent ? names.map((_, i) => i) : Array.from({ length: options.count }, () => -1);
  for (const [n, index] of wanted.entries()) {
    const local = writers[n % writers.length];
    // Packs written only on the hosts' schedules: their events in turn, host after host.
    const onlyScheduled = periodic.size === names.length;
    const event = index >= 0 ? index : options.event !== undefined ? names.indexOf(options.event) : onlyScheduled ? n % names.length : -1;
    time += 1000 + ((n * 7919) % 5000);
    if (event >= 0 && periodic.has(event)) {
      // A host's scheduled sample: the first host of the event's roles, at this time.
      current = names[event];
      shard.writeEvent(local, time, sink, event, runtime.hosts[event][n % Math.max(1, runtime.hosts[event].length)], time, index >= 0 || options.event !== undefined);
    } else if (event >= 0) {
      current = names[event];
      shard.writeEvent(local, time, sink, event, undefined, time, index >= 0 || options.event !== undefined);
    } else {
      current = '';
      shard.emit(local, time, sink);
    }
  }
  return out;
}

const SKELETON_MANIFEST = (name: string) => `# ${name}: a pack written with \`seclog pack new\`. Edit the events, values and samples; see docs/packs.md.
name = "${name}"
description = "what this log is (one line)"
format = "json"           # "json": one JSON document per record; "text": lines written as they are
actors = "people"         # whose activity writes records: people, services or all
share = 0.1               # beside other sources: the share of an actor's activity that writes an event

[params.app]
default = "billing"
description = "the application's name"

[samples.actions]
file = "samples/actions.csv"
weight = "weight"

[vars.action]
sample = "actions"
column = "action"

[vars.request_id]
uuid = true

[vars.latency_ms]
lognormal = { median = 80, sigma = 0.7, min = 1, max = 30000 }

[[events]]
name = "request"
weight = 10
template = '{"@timestamp":"{{ time | rfc3339 }}","app":"{{ param.app }}","user":"{{ actor.email }}","source_ip":"{{ session.ip }}","action":"{{ action }}","outcome":"{{ action.outcome }}","request_id":"{{ request_id }}","latency_ms":{{ latency_ms }}}'

[[events]]
name = "login"
weight = 1
template = '{"@timestamp":"{{ time | rfc3339 }}","app":"{{ param.app }}","user":"{{ actor.email }}","source_ip":"{{ session.ip }}","action":"login","outcome":"success","user_agent":"{{ actor.console_user_agent }}"}'

# For output.format.type = "parquet": the records' columns (DuckDB types; a record's missing key is null), and where
# the common envelope (the seclog struct column every source's files share) finds its values.
[parquet]
columns = [
  { name = "@timestamp", type = "TIMESTAMP WITH TIME ZONE", description = "when" },
  { name = "app", type = "VARCHAR", description = "the application" },
  { name = "user", type = "VARCHAR", description = "who (e-mail)" },
  { name = "source_ip", type = "VARCHAR", description = "from where" },
  { name = "action", type = "VARCHAR", description = "what" },
  { name = "outcome", type = "VARCHAR", description = "success, failure or denied" },
  { name = "request_id", type = "VARCHAR", description = "the request" },
  { name = "latency_ms", type = "INTEGER", description = "how long it took" },
  { name = "user_agent", type = "VARCHAR", description = "the browser (logins)" },
]
[parquet.envelope]
timestamp = "@timestamp"
event_type = "action"
actor = "user"
ip = "source_ip"
user_agent = "user_agent"
outcome = { failure_when = { field = "outcome", values = ["failure", "denied"] } }
`;

export function packCommand(): Command {
  const cmd = new Command('pack').description('work with packs: sources you declare in a folder (docs/packs.md)');
  cmd
    .command('list')
    .description('list the built-in packs')
    .action(() => {
      for (const name of builtInPacks()) process.stdout.write(`${name.padEnd(20)} ${loadPack(name).manifest.description}\n`);
    });
  cmd
    .command('new')
    .description('write a working pack skeleton into the folder <name>')
    .argument('<name>', 'the pack name (lower-case letters, digits, - and _) and its folder')
    .action((name: string) => {
      if (!/^[a-z][a-z0-9_-]{0,62}$/.test(name)) throw new UsageError(`pack new ${JSON.stringify(name)}: expected a name of lower-case letters, digits, "-" and "_", starting with a letter`);
      const dir = resolve(name);
      if (existsSync(dir)) throw new UsageError(`pack new ${JSON.stringify(name)}: ${dir} already exists`);
      mkdirSync(join(dir, 'samples'), { recursive: true });
      writeFileSync(join(dir, 'pack.toml'), SKELETON_MANIFEST(name));
      writeFileSync(join(dir, 'samples', 'actions.csv'), 'action,outcome,weight\nview_invoice,success,20\nlist_invoices,success,30\nexport_invoices,success,3\nupdate_invoice,success,5\nupdate_invoice,failure,1\ndelete_invoice,denied,0.5\n');
      writeFileSync(join(dir, 'README.md'), `# ${name}\n\nWhat this pack writes, where its samples come from (provenance, licence), and its parameters.\n`);
      process.stdout.write(`wrote ${dir}: pack.toml, samples/actions.csv, README.md\ntry it: seclog pack preview ${dir}\n`);
    });
  cmd
    .command('preview')
    .description('write records of a pack to standard output')
    .argument('<pack>', 'a built-in pack name or a pack folder')
    .option('--event <name>', 'only this event type')
    .addOption(new Option('-n, --count <n>', 'events to write').default(10).argParser(wholeNumber('--count', 1, 1_000_000)))
    .option('--population <file>', 'a population file (default: the demo population)')
    .option('--seed <seed>', 'seed', '7')
    .action(async (pack: string, flags: { event?: string; count: number; population?: string; seed: string }) => {
      for (const r of await records(pack, { ...flags })) process.stdout.write(r.text);
    });
  cmd
    .command('validate')
    .description('check a pack: compile it, write one event of each type, and check every record')
    .argument('<pack>', 'a built-in pack name or a pack folder')
    .option('--population <file>', 'a population file (default: the demo population)')
    .action(async (pack: string, flags: { population?: string }) => {
      const loaded = loadPack(pack);
      const list = await records(pack, { population: flags.population, seed: '7', count: 0, eachEvent: true });
      const problems: string[] = [];
      for (const r of list) {
        const text = r.text.slice(0, -1);
        if (text.includes('\n')) problems.push(`event ${r.event}: a record holds a line break`);
        if (loaded.manifest.format === 'json') {
          try {
            JSON.parse(text);
          } catch (err) {
            problems.push(`event ${r.event}: not JSON (${(err as Error).message}): ${text.slice(0, 120)}`);
          }
        }
      }
      if (problems.length > 0) throw new UsageError(`pack ${loaded.manifest.name} (${loaded.file}): ${problems.join('; ')}`);
      process.stdout.write(`pack ${loaded.manifest.name}: ok (${loaded.manifest.events.length} event types, ${list.length} records written, ${Object.keys(loaded.manifest.vars).length} values, ${loaded.samples.size} samples)\n`);
    });
  return cmd;
}
