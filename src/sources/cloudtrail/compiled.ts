/**
 * The catalog compiled for one run: record writers for every event, error choices, per-client user-agent
 * suffixes, and the weighted event mix of each audience (role or service profile) under the run's config.
 */
import { arenaJson, arenaUtf8 } from '../../encode/assemble/arena.js';
import { compile, compileText, literalText, type CompiledTemplate, type SlotRegistry } from '../../encode/layout/index.js';
import type { Actor } from '../../population/actor.js';
import { CLIENT_KINDS, type ClientKind } from '../../population/data/user-agents.js';
import { fnv1a } from '../../util/hash.js';
import { AliasTable } from '../../util/rng.js';
import { CATALOG } from './catalog/index.js';
import { BASELINE_BY_EVENT } from './catalog/baseline.js';
import type { Audience, ErrorSpec, EventSpec } from './catalog/types.js';
import type { CloudTrailConfig } from './config.js';
import type { ErrorChoice, EventContext } from './context.js';
import { SERVICES, type ServiceInfo } from './data/services.js';
import { LIFECYCLE, type Lifecycle } from './lifecycle.js';
import { recordLayout, VPC_ENDPOINT_SERVICES } from './record.js';

export interface CompiledEvent {
  readonly spec: EventSpec;
  readonly service: ServiceInfo;
  readonly success: CompiledTemplate;
  readonly failure: CompiledTemplate;
  /** Logged in us-east-1 whatever region the caller works in (IAM, sign-in, Organizations). */
  readonly global: boolean;
  readonly iamAction: Uint8Array;
  /** Per client kind (index in CLIENT_KINDS): what the client appends to its user agent for this call. */
  readonly userAgentSuffix: readonly Uint8Array[];
  readonly errorChoices: readonly ErrorChoice[];
  readonly errorTable: AliasTable | null;
  /** From `source.error_rates`: replaces the actor-based error probability for this event. */
  readonly configuredErrorRate: number | null;
  readonly configuredError: ErrorChoice | null;
  readonly errorBias: number;
  /** What the call does to the actor's world, if anything (persistent resources). */
  readonly lifecycle: Lifecycle | null;
  /** Calls to this service go through the caller's VPC endpoint when it has one. */
  readonly viaVpcEndpoint: boolean;
  /** A SAML-authenticated web app's event (spec.identity = 'samlUser'). */
  readonly samlUser: boolean;
}

/** Who makes a session's calls: the actor's own identity type, or the identity it took for this session. */
export type Caller = Actor['identity_type'] | 'FederatedUser' | 'Root';

/**
 * Whether a caller can make the call: a federated session cannot call IAM, nor STS beyond GetCallerIdentity; the
 * root user cannot assume roles (AWS refuses), and does not hand out session or federation tokens here.
 */
export function callableBy(e: CompiledEvent, caller: Caller): boolean {
  if (caller === 'FederatedUser') return !e.spec.callers && e.spec.service !== 'iam' && (e.spec.service !== 'sts' || e.spec.name === 'GetCallerIdentity');
  if (caller === 'Root') return !e.spec.callers && e.spec.name !== 'AssumeRole' && e.spec.name !== 'GetSessionToken';
  return !e.spec.callers || e.spec.callers.includes(caller);
}

export interface EventMix {
  readonly events: readonly CompiledEvent[];
  readonly table: AliasTable;
}

/** Strips the API version suffix Lambda puts in event names: `UpdateFunctionCode20150331v2` → `UpdateFunctionCode`. */
export function operationName(eventName: string): string {
  return eventName.replace(/20\d{6}(v\d+)?$/, '');
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

function userAgentSuffixes(spec: EventSpec, service: ServiceInfo): Uint8Array[] {
  const h = fnv1a(service.sdk);
  const go = arenaUtf8(` api/${service.sdk}#1.${20 + (h % 180)}.${(h >>> 8) % 12}`);
  const out = {} as Record<ClientKind, Uint8Array>;
  for (const client of CLIENT_KINDS) {
    switch (client) {
      case 'cli':
        out[client] = arenaUtf8(` md/command#${service.cli}.${kebab(operationName(spec.name))}`);
        break;
      case 'go':
      case 'terraform':
        out[client] = go;
        break;
      case 'js':
        out[client] = arenaUtf8(` api/${service.sdk}#3.${700 + (h % 180)}.0`);
        break;
      default:
        out[client] = new Uint8Array(0);
    }
  }
  return CLIENT_KINDS.map((c) => out[c]);
}

export class CompiledCatalog {
  readonly events: readonly CompiledEvent[];
  readonly byName: ReadonlyMap<string, CompiledEvent>;
  private readonly mixes = new Map<string, EventMix>();
  private readonly baselineEvents: ReadonlySet<string>;
  private readonly customMix: EventMix | null;
  /** Session-opening events, or null where the config leaves them out of the run. */
  readonly opening: { consoleLogin: CompiledEvent | null; assumeRoleWithSaml: CompiledEvent | null; getSessionToken: CompiledEvent | null; getFederationToken: CompiledEvent | null; assumeRole: CompiledEvent | null; userAuthentication: CompiledEvent | null };

  constructor(config: CloudTrailConfig, registry: SlotRegistry<EventContext>) {
    const custom = new Map((config.custom_events ?? []).map((e) => [e.name, e.weight]));
    const configuredErrors = new Map((config.error_rates ?? []).map((e) => [e.name, e]));
    const compileError = (e: ErrorSpec): ErrorChoice => ({ code: e.code ? arenaJson(e.code) : null, message: compileText(e.message, registry) });

    this.events = CATALOG.map((spec) => {
      const service = SERVICES[spec.service];
      const configured = configuredErrors.get(spec.name);
      let configuredError: ErrorChoice | null = null;
      if (configured) {
        const sameCode = spec.errors.find((e) => e.code === configured.code);
        const code = configured.code ?? spec.errors[0]?.code;
        const message = configured.message ?? sameCode?.message ?? spec.errors[0]?.message ?? 'An error occurred';
        // A message from config is literal text; catalog messages may reference slots.
        configuredError = {
          code: code ? arenaJson(code) : null,
          message: configured.message ? literalText(configured.message) : compileText(message, registry),
        };
      }
      return {
        spec,
        service,
        success: compile(recordLayout(spec, false), registry),
        failure: compile(recordLayout(spec, true), registry),
        global: service.globalHost !== undefined,
        iamAction: arenaUtf8(`${service.iamPrefix}:${operationName(spec.name)}`),
        userAgentSuffix: userAgentSuffixes(spec, service),
        errorChoices: spec.errors.map(compileError),
        errorTable: spec.errors.length > 0 ? new AliasTable(spec.errors.map((e) => e.weight ?? 1)) : null,
        configuredErrorRate: configured ? configured.rate : null,
        configuredError,
        errorBias: spec.errorBias ?? 1,
        lifecycle: LIFECYCLE[spec.name] ?? null,
        viaVpcEndpoint: VPC_ENDPOINT_SERVICES.has(spec.service),
        samlUser: spec.identity === 'samlUser',
      };
    });
    this.byName = new Map(this.events.map((e) => [e.spec.name, e]));

    if (!config.curated) {
      const listed = this.events.filter((e) => (custom.get(e.spec.name) ?? 0) > 0);
      this.customMix = { events: listed, table: new AliasTable(listed.map((e) => custom.get(e.spec.name)!)) };
    } else {
      this.customMix = null;
    }
    this.baselineEvents = new Set(config.curated ? [...BASELINE_BY_EVENT.keys()].filter((name) => !custom.has(name)) : []);
    const curatedWeight = (e: CompiledEvent) => custom.get(e.spec.name) ?? e.spec.weight;
    this.curatedWeight = curatedWeight;
    const active = (name: string) => (config.curated ? this.byName.get(name)! : null);
    this.opening = { consoleLogin: active('ConsoleLogin'), assumeRoleWithSaml: active('AssumeRoleWithSAML'), getSessionToken: active('GetSessionToken'), getFederationToken: active('GetFederationToken'), assumeRole: active('AssumeRole'), userAuthentication: active('UserAuthentication') };
  }

  private readonly curatedWeight: (e: CompiledEvent) => number;

  /**
   * True for an event that comes at its benign base rate rather than in the weighted mix: listed in the baseline,
   * in a curated run, and not given a weight of its own in `custom_events`.
   */
  scheduled(e: CompiledEvent): boolean {
    return this.baselineEvents.has(e.spec.name);
  }

  /**
   * The event mix of an actor: custom weights alone, or curated weights × the audience multipliers. A federated
   * session (GetFederationToken credentials) cannot call IAM, nor STS beyond GetCallerIdentity.
   */
  mixFor(actor: Actor, caller: Caller = actor.identity_type): EventMix {
    if (this.customMix) return this.customMix;
    const audience = (actor.role ?? actor.service_profile) as Audience;
    const key = `${audience}/${caller}`;
    let mix = this.mixes.get(key);
    if (!mix) {
      const callable = (e: CompiledEvent) => callableBy(e, caller);
      // Events with a benign base rate (catalog/baseline.ts) are not background: they come at their own rate.
      let events = this.events.filter((e) => (e.spec.who[audience] ?? 0) > 0 && this.curatedWeight(e) > 0 && !this.scheduled(e) && callable(e));
      let weights = events.map((e) => this.curatedWeight(e) * (e.spec.who[audience] ?? 0));
      if (events.length === 0) {
        // Every event this audience does was weighted to zero: fall back to the plain curated weights.
        events = this.events.filter((e) => this.curatedWeight(e) > 0 && Object.keys(e.spec.who).length > 0);
        weights = events.map((e) => this.curatedWeight(e));
      }
      mix = { events, table: new AliasTable(weights) };
      this.mixes.set(key, mix);
    }
    return mix;
  }
}

