import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker script `name.js` next to `moduleUrl`. Running from TypeScript sources (the tests import src/
 * directly), the module sits in src/ and the worker is taken from dist/: the last `src` directory of the path is the
 * project's (an earlier one may belong to where the project is checked out).
 */
export function workerScript(moduleUrl: string, name: string): string {
  const here = fileURLToPath(new URL(`./${name}.js`, moduleUrl));
  if (existsSync(here)) return here;
  const source = fileURLToPath(new URL(`./${name}.ts`, moduleUrl));
  return source.replace(/[\\/]src([\\/](?:(?![\\/]src[\\/]).)*)$/, '/dist/src$1').replace(/\.ts$/, '.js');
}
