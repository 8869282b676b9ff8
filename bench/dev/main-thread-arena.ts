/**
 * Imported first by the dev harnesses, which generate on the main thread: creates the thread's arena before the
 * source's modules build their constants, so those land in it as they do in the engine's workers.
 */
import { threadArena } from '../../src/encode/assemble/arena.js';

threadArena();
