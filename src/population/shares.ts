/**
 * How a list in actors.toml changes a default mix (`role_distribution`, `service_profiles`): a listed entry
 * overrides its own default, unlisted entries keep theirs. The defaults are shares that add up to 1, and a listed
 * weight reads the same way: `admin = 0.15` makes admins 15 % of people, and the roles not listed share the other
 * 85 % in their default proportions. When every name is listed, the weights are relative to each other (any sum).
 */

export interface Listed<K extends string> {
  readonly name: K;
  readonly weight: number;
}

/** Why `listed` cannot be merged with defaults over `names`, or null when it can. */
export function sharesProblem<K extends string>(names: readonly K[], listed: readonly Listed<K>[]): string | null {
  const unlisted = names.filter((n) => !listed.some((l) => l.name === n));
  const sum = listed.reduce((s, l) => s + l.weight, 0);
  if (unlisted.length === 0) return sum > 0 ? null : 'expected at least one entry with weight > 0';
  if (sum > 1 + 1e-9) {
    return `the listed weights add up to ${+sum.toFixed(6)}, but ${unlisted.join(', ')} ${unlisted.length === 1 ? 'is' : 'are'} not listed: with some entries unlisted, weights are shares of the whole (at most 1 together; the unlisted share the rest), or list every entry to give relative weights`;
  }
  return null;
}

/** The merged weights (shares of 1 when something is unlisted; as given when everything is listed). */
export function mergeShares<K extends string>(names: readonly K[], defaults: Readonly<Record<K, number>>, listed: readonly Listed<K>[] | undefined): Record<K, number> {
  const out = { ...defaults } as Record<K, number>;
  if (!listed) return out;
  const unlisted = names.filter((n) => !listed.some((l) => l.name === n));
  const listedSum = listed.reduce((s, l) => s + l.weight, 0);
  const defaultSum = unlisted.reduce((s, n) => s + defaults[n], 0);
  for (const n of unlisted) out[n] = defaultSum > 0 ? (defaults[n] / defaultSum) * Math.max(0, 1 - listedSum) : 0;
  for (const l of listed) out[l.name] = l.weight;
  return out;
}
