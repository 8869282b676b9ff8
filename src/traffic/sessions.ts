/**
 * Sessions shared across sources: what one source asks of another in the same moment, decided outside either.
 *
 * A service provider that federates its sign-ins to the organisation's identity provider (AWS console access
 * through Okta or Entra ID) posts a `SignInRequest` when a person needs a new session; in the same activity tick the
 * identity provider's source writes the sign-in (policy evaluation, MFA, SSO to the app) from the person's working
 * session (its address, their browser), and says whether it succeeded. The service provider then writes its side
 * (the SAML assertion's use) in the same tick, from the same session, or opens no session when the sign-in failed. In
 * a run without the identity provider's source nobody answers and the sign-in counts as successful, on the person's
 * next action.
 *
 * One board per shard, shared by that shard's sources; it holds at most one request per actor, and each actor's
 * current working session (`workSession`), drawn from the shard's own `sessions` stream.
 */
import type { Actor } from '../population/actor.js';
import { sessionAddresses } from '../population/addresses.js';
import { Rng } from '../util/rng.js';

/**
 * A sign-in asked of the identity provider. Address and browser are not in it: both sides take them from the
 * person's working session (`workSession`), so they agree by construction.
 */
export interface SignInRequest {
  /** The app the person signs in to, as the identity provider knows it (e.g. `aws`). */
  readonly app: string;
}

export interface SignInAnswer {
  readonly ok: boolean;
}

/**
 * A person's working session as every source sees it: where they connect from (an index into
 * `sessionAddresses(actor)`), from when and until when. Their browser is the actor's own (`console_user_agent`).
 */
export interface WorkSession {
  startMs: number;
  untilMs: number;
  addressIndex: number;
  /** Counts the actor's sessions (sources derive session ids from it). */
  serial: number;
}

/** A working day's session: most last a working day, some are cut short, none beyond 14 hours. */
const SESSION_MEDIAN_MS = 9 * 3_600_000;
const SESSION_MIN_MS = 2 * 3_600_000;
const SESSION_MAX_MS = 14 * 3_600_000;

export class SessionBoard {
  private readonly requests: (SignInRequest | undefined)[];
  private readonly answers: (SignInAnswer | undefined)[];
  private readonly sessions: WorkSession[];
  private readonly addressCounts: Uint8Array;
  private readonly rng: Rng;

  constructor(
    seed: string,
    shard: number,
    actors: readonly Pick<Actor, 'ip_cidr'>[],
    /** The source type of the identity provider people sign in to AWS through (null: none; engine/run.ts decides). */
    readonly identityProvider: string | null = null,
  ) {
    const n = actors.length;
    this.requests = new Array(n);
    this.answers = new Array(n);
    this.sessions = Array.from({ length: n }, () => ({ startMs: -Infinity, untilMs: -Infinity, addressIndex: 0, serial: 0 }));
    this.addressCounts = Uint8Array.from(actors, (a) => sessionAddresses(a).length);
    this.rng = new Rng(seed, `shard/${shard}/sessions`);
  }

  /**
   * While frozen (a scenario's step is being written), sessions are read, never opened: an attack's records take the
   * victim's current session as it is, and the board's own stream, which every source's benign records follow, is
   * left alone.
   */
  frozen = false;

  /** The actor's working session at `timeMs`, opened now if the last one has ended (unless the board is frozen). */
  workSession(local: number, timeMs: number): WorkSession {
    const s = this.sessions[local];
    if (timeMs >= s.untilMs && !this.frozen) {
      const rng = this.rng;
      s.startMs = timeMs;
      s.untilMs = timeMs + Math.min(SESSION_MAX_MS, Math.max(SESSION_MIN_MS, rng.logNormal(SESSION_MEDIAN_MS, 0.35)));
      const count = this.addressCounts[local];
      s.addressIndex = count <= 1 ? 0 : rng.int(count);
      s.serial++;
    }
    return s;
  }

  /** A service provider asks for a sign-in of actor `local` now. */
  request(local: number, request: SignInRequest): void {
    this.requests[local] = request;
    this.answers[local] = undefined;
  }

  /** The identity provider takes the actor's pending request, if any. */
  take(local: number): SignInRequest | undefined {
    const r = this.requests[local];
    this.requests[local] = undefined;
    return r;
  }

  answer(local: number, answer: SignInAnswer): void {
    this.answers[local] = answer;
  }

  /** Whether the identity provider has answered the actor's last request. */
  answered(local: number): boolean {
    return this.answers[local] !== undefined;
  }

  /** The answer to the actor's last request (successful when no identity provider is in the run). */
  answerFor(local: number): SignInAnswer | undefined {
    const a = this.answers[local];
    this.answers[local] = undefined;
    return a;
  }
}
