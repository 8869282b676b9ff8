/**
 * The one error the Sigma modules throw: a single line naming where (file, rule, key), the offending value and what
 * is allowed, e.g. `rules/x.yml: rule "Foo": detection.selection.Image|foo: unknown modifier "foo" (allowed: …)`.
 * The compiler does not know the file a rule came from; the parser adds it (`withOrigin`).
 */

export interface SigmaErrorWhere {
  readonly origin?: string;
  readonly rule?: string;
  readonly key?: string;
}

export class SigmaError extends Error {
  override readonly name = 'SigmaError';
  constructor(
    /** What is wrong and what is allowed, without the location. */
    readonly detail: string,
    readonly where: SigmaErrorWhere = {},
  ) {
    super(formatMessage(detail, where));
  }

  /** The same error located in a file (kept when it already names one). */
  withOrigin(origin: string): SigmaError {
    return this.where.origin !== undefined ? this : new SigmaError(this.detail, { ...this.where, origin });
  }

  /** The same error located in a rule (kept when it already names one). */
  withRule(rule: string): SigmaError {
    return this.where.rule !== undefined ? this : new SigmaError(this.detail, { ...this.where, rule });
  }
}

function formatMessage(detail: string, where: SigmaErrorWhere): string {
  const parts: string[] = [];
  if (where.origin !== undefined) parts.push(where.origin);
  if (where.rule !== undefined) parts.push(`rule ${JSON.stringify(where.rule)}`);
  if (where.key !== undefined && where.key !== '') parts.push(where.key);
  parts.push(detail);
  return parts.join(': ').replace(/[\r\n]+/g, ' ');
}

/** A value as it appears in a message: JSON, cut to 80 characters, on one line. */
export function show(value: unknown): string {
  let s: string;
  try {
    s = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  s = s.replace(/[\r\n]+/g, ' ');
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
