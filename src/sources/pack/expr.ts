/**
 * The packs' small, safe expression language for derived numbers: `user + system`, `total - free`,
 * `round(used / total * 100, 2)`. Numbers, names of the pack's numeric values (and sample columns: `proc.rss_mb`), + - * / %, parentheses and a few
 * functions (min, max, abs, pow, floor, ceil, round, if, not, lt, gt). No strings, no calls out, no loops: an expression is compiled once
 * to a closure over the values it names.
 */

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unary'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '%'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly fn: keyof typeof FUNCTIONS; readonly args: readonly Expr[] };

export const FUNCTIONS = {
  min: (...a: number[]) => Math.min(...a),
  max: (...a: number[]) => Math.max(...a),
  abs: (x: number) => Math.abs(x),
  pow: (x: number, y: number) => Math.pow(x, y),
  floor: (x: number) => Math.floor(x),
  ceil: (x: number) => Math.ceil(x),
  round: (x: number, digits = 0) => {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
  },
  /** `if(c, a, b)`: a when c is not 0, else b (both are computed: values are drawn once per event either way). */
  if: (c: number, a: number, b: number) => (c !== 0 ? a : b),
  /** `not(x)`: 1 when x is 0, else 0. */
  not: (x: number) => (x === 0 ? 1 : 0),
  /** `lt(a, b)`, `gt(a, b)`: 1 when a < b (a > b), else 0. */
  lt: (a: number, b: number) => (a < b ? 1 : 0),
  gt: (a: number, b: number) => (a > b ? 1 : 0),
} as const;

/** How many arguments each function takes (least, most). */
const ARITY: Readonly<Record<keyof typeof FUNCTIONS, readonly [number, number]>> = {
  min: [1, 16],
  max: [1, 16],
  abs: [1, 1],
  pow: [2, 2],
  floor: [1, 1],
  ceil: [1, 1],
  round: [1, 2],
  if: [3, 3],
  not: [1, 1],
  lt: [2, 2],
  gt: [2, 2],
};

/** Parses an expression; throws an Error whose message says what is wrong and where. */
export function parseExpr(text: string): Expr {
  const tokens = text.match(/\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?|[-+*/%(),]|\S)/g)?.map((t) => t.trim()) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i < tokens.length ? `"${tokens[i]}" (token ${i + 1})` : 'the end'} of ${JSON.stringify(text)}`);
  };
  const expect = (t: string) => (tokens[i] === t ? i++ : fail(`expected "${t}"`));
  const primary = (): Expr => {
    const t = peek();
    if (t === undefined) return fail('expected a number, a name or "("');
    if (t === '(') {
      i++;
      const e = sum();
      expect(')');
      return e;
    }
    if (t === '-') {
      i++;
      return { kind: 'unary', operand: primary() };
    }
    if (/^\d/.test(t)) {
      i++;
      return { kind: 'number', value: Number(t) };
    }
    if (/^[A-Za-z_]/.test(t)) {
      i++;
      if (peek() !== '(') return { kind: 'name', name: t };
      if (!Object.hasOwn(FUNCTIONS, t)) fail(`unknown function "${t}" (functions: ${Object.keys(FUNCTIONS).join(', ')})`);
      i++;
      const args: Expr[] = [];
      if (peek() !== ')') {
        args.push(sum());
        while (peek() === ',') {
          i++;
          args.push(sum());
        }
      }
      const [least, most] = ARITY[t as keyof typeof FUNCTIONS];
      if (args.length < least || args.length > most) fail(`${t}() takes ${least === most ? least : `${least} to ${most}`} argument${most > 1 ? 's' : ''}, not ${args.length}`);
      expect(')');
      return { kind: 'call', fn: t as keyof typeof FUNCTIONS, args };
    }
    return fail('expected a number, a name or "("');
  };
  const product = (): Expr => {
    let e = primary();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = tokens[i++] as '*' | '/' | '%';
      e = { kind: 'binary', op, left: e, right: primary() };
    }
    return e;
  };
  const sum = (): Expr => {
    let e = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++] as '+' | '-';
      e = { kind: 'binary', op, left: e, right: product() };
    }
    return e;
  };
  const e = sum();
  if (i < tokens.length) fail('unexpected');
  return e;
}

/** The names an expression reads. */
export function namesOf(e: Expr, out = new Set<string>()): Set<string> {
  if (e.kind === 'name') out.add(e.name);
  else if (e.kind === 'unary') namesOf(e.operand, out);
  else if (e.kind === 'binary') {
    namesOf(e.left, out);
    namesOf(e.right, out);
  } else if (e.kind === 'call') e.args.forEach((a) => namesOf(a, out));
  return out;
}

/** Compiles an expression to a function of the values it names (`value(name)`). Division by zero gives 0. */
export function compileExpr<C>(e: Expr, value: (name: string) => (ctx: C) => number): (ctx: C) => number {
  switch (e.kind) {
    case 'number': {
      const v = e.value;
      return () => v;
    }
    case 'name':
      return value(e.name);
    case 'unary': {
      const f = compileExpr(e.operand, value);
      return (c) => -f(c);
    }
    case 'binary': {
      const l = compileExpr(e.left, value);
      const r = compileExpr(e.right, value);
      switch (e.op) {
        case '+':
          return (c) => l(c) + r(c);
        case '-':
          return (c) => l(c) - r(c);
        case '*':
          return (c) => l(c) * r(c);
        case '/':
          return (c) => {
            const d = r(c);
            return d === 0 ? 0 : l(c) / d;
          };
        default:
          return (c) => {
            const d = r(c);
            return d === 0 ? 0 : l(c) % d;
          };
      }
    }
    case 'call': {
      const fn = FUNCTIONS[e.fn] as (...a: number[]) => number;
      const args = e.args.map((a) => compileExpr(a, value));
      return (c) => fn(...args.map((a) => a(c)));
    }
  }
}
