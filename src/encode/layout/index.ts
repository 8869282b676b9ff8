/**
 * Record layouts declared once, compiled into fast writers: the public face of `encode/layout/`.
 *
 * - `dsl.ts`: the layout DSL sources write records with (`ref`, `fmt`, `raw`, `opt`, `gen`, `when`).
 * - `compile.ts`: the compiler from a layout to ops, and `CompiledTemplate`, which writes a record.
 * - `slots.ts`: the slot runtime (`SlotRegistry` of resolvers and generators, per-thread `Slots`).
 * - `ops.ts`: the ops and their JavaScript writer; `lower.ts`: their lowering into assembler programs.
 */
export { fmt, gen, opt, raw, ref, when, type Layout } from './dsl.js';
export { compile, compileText, CompiledTemplate, literalText } from './compile.js';
export { SlotRegistry, Slots, SlotValue, type Generator, type Resolver } from './slots.js';
