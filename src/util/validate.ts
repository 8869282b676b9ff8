/**
 * Runs a zod schema over parsed config and turns every issue into a ConfigProblem that names the key path, the
 * value found and what is allowed. Also hosts the small schema helpers all config files share.
 */
import * as z from 'zod';
import { ConfigError, type ConfigProblem, renderPath, renderValue } from './config-errors.js';

export function validate<S extends z.ZodType>(schema: S, input: unknown, file: string): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => toProblem(schema, issue));
  throw new ConfigError(file, problems);
}

function toProblem(root: z.ZodType, issue: z.core.$ZodIssue): ConfigProblem {
  const path = renderPath(issue.path);
  let input = (issue as { input?: unknown }).input;
  // A discriminated union reports its discriminator's path (outputs[0].type) with the whole table as input.
  const last = issue.path[issue.path.length - 1];
  if (issue.code === 'invalid_union' && typeof last === 'string' && input !== null && typeof input === 'object' && last in input) {
    input = (input as Record<string, unknown>)[last];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(root, issue.path, input);
      const where = issue.path.length === 0 ? '' : `${path}.`;
      return {
        path: issue.keys.map((k) => `${where}${k}`).join(', '),
        allowed: `unknown key${issue.keys.length > 1 ? 's' : ''}${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}`,
      };
    }
    case 'invalid_type': {
      // Schemas with their own message (z.int({ error })) say it best; zod's generic text starts "Invalid input".
      const generic = typeof input === 'number' && !Number.isFinite(input) ? 'expected a finite number' : `expected ${describeType(issue.expected)}`;
      const what = issue.message.startsWith('Invalid input') ? generic : issue.message;
      if (input === undefined) return { path, allowed: `required key is missing (${what})` };
      return { path, value: renderValue(input), allowed: what };
    }
    case 'invalid_value':
      return { path, value: renderValue(input), allowed: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      const what = issue.origin === 'array' ? `a list with ${op} ${bound} entries` : issue.origin === 'string' ? `a string of length ${op} ${bound}` : `a number ${op} ${bound}`;
      return { path, value: renderValue(input), allowed: `expected ${what}` };
    }
    case 'invalid_format':
      return { path, value: renderValue(input), allowed: issue.message };
    default:
      return input === undefined ? { path, allowed: issue.message } : { path, value: renderValue(input), allowed: issue.message };
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a table';
    default:
      return expected;
  }
}

/** Walks the schema along `path` to list the keys a table accepts, for "unknown key" messages. */
function allowedKeys(root: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] | undefined {
  let node: unknown = root;
  const unwrap = (n: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (n as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (!def) return n;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') n = def.innerType;
      else if (def.type === 'pipe') n = def.in;
      else return n;
    }
    return n;
  };
  for (const part of path) {
    node = unwrap(node);
    const def = (node as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object' && typeof part === 'string') node = (def.shape as Record<string, unknown>)[part];
    else if (def.type === 'array' && typeof part === 'number') node = def.element;
    else return undefined;
    if (!node) return undefined;
  }
  node = unwrap(node);
  let def = (node as { _zod: { def: Record<string, unknown> } })._zod.def;
  // A discriminated union's keys are those of the option the table's discriminator picks.
  if (def.type === 'union' && typeof def.discriminator === 'string' && input !== null && typeof input === 'object') {
    const tag = (input as Record<string, unknown>)[def.discriminator];
    const option = (def.options as { _zod: { def: Record<string, unknown>; propValues?: Record<string, Set<unknown>> } }[]).find((o) => o._zod.propValues?.[def.discriminator as string]?.has(tag));
    if (!option) return undefined;
    def = (unwrap(option) as { _zod: { def: Record<string, unknown> } })._zod.def;
  }
  return def.type === 'object' ? Object.keys(def.shape as object) : undefined;
}
