// Links this package's own `seclog` bin into node_modules/.bin, so `npx seclog …` runs the clone's build
// (npm links the bins of dependencies, not of the root package itself).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'seclog.js');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'seclog');
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);
