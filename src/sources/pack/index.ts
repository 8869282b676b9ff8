/**
 * Packs as sources: `[[sources]] type = "pack"` loads a pack (a built-in one from `packs/`, or a folder), compiles it
 * and presents it to the engine as a source plug-in of its own, named after the pack: its records go to
 * `<dir>/<pack name>/`, its Kafka topic is `{source}` = the pack's name, like any source's.
 */
import { AGENT_DELIVERY } from '../delivery-delay.js';
import { Slots } from '../../encode/layout/index.js';
import { inventoryOf, type Server } from '../../population/inventory.js';
import type { SourcePlugin } from '../source.js';
import { compilePack, recordsPerTick, TICK_RECORDS, type PackContext } from './compile.js';
import { ConfigError } from '../../util/config-errors.js';
import { packConfigSchema, type PackConfig } from './config.js';
import { loadPack, type Manifest } from './manifest.js';
import { bindEnvelope, type EnvelopeValue, type ParquetLayout } from '../../encode/parquet/layout.js';
import { PackShard, type PackRuntime } from './shard.js';

const cache = new Map<string, SourcePlugin<PackConfig, PackRuntime>>();

/** The most a scaled share may reach (the manifest's own bound). */
const MAX_SHARE = 20;

/** The source plug-in of a `type = "pack"` entry (loaded once per process and entry). */
export function packPlugin(entry: PackConfig): SourcePlugin<PackConfig, PackRuntime> {
  const key = JSON.stringify([entry.pack, entry.params, entry.share]);
  const cached = cache.get(key);
  if (cached) return cached;
  const pack = loadPack(entry.pack);
  const m = pack.manifest;
  // Compiled once here for its errors (unknown names, parameters, filters, a share too large), before any output is
  // prepared.
  const checked = compilePack(pack, entry.params, []);
  if (entry.share !== undefined && recordsPerTick(checked, entry.share) > TICK_RECORDS) {
    const perEvent = recordsPerTick(checked, 1);
    throw new ConfigError(`(config) pack ${m.name}`, [{ path: 'share', value: String(entry.share), allowed: `at most ${TICK_RECORDS} records a tick; this pack writes up to ${perEvent} an event, so a share of at most ${Math.floor(TICK_RECORDS / perEvent)}` }]);
  }
  const plugin: SourcePlugin<PackConfig, PackRuntime> = {
    type: m.name,
    configSchema: packConfigSchema,
    label: m.name.replaceAll('-', '_'),
    deliveryDelay: m.delivery_delay ?? AGENT_DELIVERY,
    textExtension: m.format === 'text' ? m.extension : undefined,
    createRuntime: (config, _seed, actors) => {
      const compiled = compilePack(pack, config.params, actors);
      const servers = compiled.usesHosts || compiled.events.some((e) => e.hostRoles.length > 0 || e.recordHosts !== null) ? inventoryOf(actors) : [];
      const serversOf = (roles: readonly string[], environments: readonly string[] | null) => servers.filter((s) => roles.includes(s.role) && (environments === null || environments.includes(s.environment)));
      const hosts = compiled.events.map((e) => serversOf(e.hostRoles, e.hostEnvironments));
      const recordHosts = compiled.events.map((e) => e.recordHosts?.map((role) => (role === '' ? null : serversOf([role], e.hostEnvironments))) ?? null);
      const allowed = Uint8Array.from(actors, (a) => (compiled.allows(a) ? 1 : 0));
      let slots: Slots<PackContext> | null = null;
      // The shards of the four busiest workloads sample the hosts: active day and night, they write samples close
      // to their times.
      const hostOwners = actors
        .flatMap((a, i) => (a.kind === 'service' ? [i] : []))
        .sort((x, y) => actors[y].rate_per_hour - actors[x].rate_per_hour || x - y)
        .slice(0, 4);
      // For {{ hosts.<role>.… }}: the pack's environments' servers, by role.
      const byRole = new Map<string, Server[]>();
      for (const server of serversOf([...new Set(servers.map((x) => x.role))], m.host_environments ?? null)) byRole.set(server.role, [...(byRole.get(server.role) ?? []), server]);
      const scale = config.scale ?? 1;
      return { compiled, hostOwners, scale, share: Math.min(MAX_SHARE, (config.share ?? m.share) * scale), aloneShare: Math.min(MAX_SHARE, m.alone_share * scale), hosts, recordHosts, serversByRole: byRole, allowed, slots: (ctx) => (slots ??= new Slots(compiled.registry, ctx)) };
    },
    createShard: (runtime, ctx) => new PackShard(runtime, ctx, m.name),
    // Each periodic event samples each of its hosts every every_s (a scaled-down pack keeps that share of samples);
    // one with a `when` (a miner's samples, during a scenario's spell) is left out: it is rarely written.
    timedRecordsPerDay: (runtime) => runtime.compiled.events.reduce((n, e, i) => (e.everyMs > 0 && e.when === null ? n + (runtime.hosts[i].length * 86_400_000 * e.records.length * Math.min(1, runtime.scale)) / e.everyMs : n), 0),
    parquet: m.format === 'json' && m.parquet ? packParquet(m.name, m.parquet) : undefined,
    catalog: () => m.events.map((e) => `${e.name.padEnd(32)} weight ${e.weight}`),
    recordId: recordIdOf(m.record_id),
    scaleNoise: m.noise ? (config, ratio) => ({ ...config, scale: (config.scale ?? 1) * ratio }) : undefined,
    scenarioEvents: m.events.map((e) => e.name),
  };
  cache.set(key, plugin);
  return plugin;
}

/** The pack's `record_id`: its pattern's groups joined by `:` (absent: the run's default, a hash of the record). */
function recordIdOf(pattern: string | undefined): ((text: string) => string) | undefined {
  if (pattern === undefined) return undefined;
  const re = new RegExp(pattern, 's');
  return (text) => re.exec(text)?.slice(1).filter((g) => g !== undefined).join(':') ?? '';
}

/** A JSON pack's Parquet layout: its own columns, and the common envelope bound to its fields and the actor. */
function packParquet(name: string, parquet: NonNullable<Manifest['parquet']>): ParquetLayout {
  const from = (v: (typeof parquet.envelope)[keyof typeof parquet.envelope]): EnvelopeValue =>
    v === undefined ? { first: [] } : typeof v === 'string' ? { first: [v] } : { failureWhen: { field: v.failure_when.field, values: v.failure_when.values } };
  const e = parquet.envelope;
  return {
    envelope: bindEnvelope({
      source: { const: name },
      timestamp: from(e.timestamp),
      event_type: from(e.event_type),
      actor: from(e.actor),
      target: from(e.target),
      outcome: e.outcome === undefined ? { const: 'success' } : from(e.outcome),
      actor_id: { actor: 'id' },
      geo: { fields: { country: { actor: 'country' }, city: { actor: 'city' }, latitude: { actor: 'latitude' }, longitude: { actor: 'longitude' }, asn: { actor: 'asn' }, isp: { actor: 'isp' } } },
      ip: from(e.ip),
      user_agent: from(e.user_agent),
      session_id: from(e.session_id),
      tenant_id: from(e.tenant_id),
    }),
    columns: parquet.columns,
  };
}

export { packConfigSchema };
