/**
 * Sessions shared across sources: what one source asks of another in the same moment, decided outside either.
 *
 * A service provider that federates its sign-ins to the organisation's identity provider (AWS console access
 * through Okta or Entra ID) posts a `SignInRequest` when a person needs a new session; in the same activity tick the
 * identity provider's source writes the sign-in (policy evaluation, MFA, SSO to the app) with that request's address
 * and browser, and says whether it succeeded. The service provider writes its side (the SAML assertion's use) on the
 * person's next action, seconds later, or opens no session when the sign-in failed. In a run without an identity
 * provider source nobody answers and the sign-in counts as successful.
 *
 * One board per shard, shared by that shard's sources; it holds at most one request per actor.
 */

export interface SignInRequest {
  /** The app the person signs in to, as the identity provider knows it (e.g. `aws`). */
  readonly app: string;
  readonly timeMs: number;
  /** The session's source address and browser user agent, as the service provider will record them. */
  readonly ip: string;
  readonly userAgent: string;
}

export interface SignInAnswer {
  readonly ok: boolean;
  /** When the identity provider finished (its SSO event), ms. */
  readonly timeMs: number;
}

export class SessionBoard {
  private readonly requests: (SignInRequest | undefined)[];
  private readonly answers: (SignInAnswer | undefined)[];
  /** Whether an identity provider source takes requests in this run. */
  private idp = false;

  constructor(actors: number) {
    this.requests = new Array(actors);
    this.answers = new Array(actors);
  }

  /** An identity provider source registers itself (at shard creation). */
  attachIdentityProvider(): void {
    this.idp = true;
  }

  get hasIdentityProvider(): boolean {
    return this.idp;
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

  /** The answer to the actor's last request (successful when no identity provider is in the run). */
  answerFor(local: number): SignInAnswer | undefined {
    const a = this.answers[local];
    this.answers[local] = undefined;
    return a;
  }
}
