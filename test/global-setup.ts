/**
 * Before any test file runs: installs and starts, all at once, the real servers (Kafka, S3Proxy, rsyslog,
 * OpenSearch, Elasticsearch), the PyPI packages (pyarrow, PySpark) and the Debian tools (chromium) that the run's
 * test files need, with the project's own scripts, on empty data, and hands the files what the scripts printed
 * (`inject('seclogServices')`, read through test/services.ts). Downloads, Maven runs and JVM start-ups overlap instead of following one another
 * file by file. A server that only one file of the run needs (each, today) is stopped when that file is done, so that
 * idle JVMs do not sit beside the files after it; the rest are stopped when the run ends.
 *
 * A need whose script fails is handed over as its error: the test files that need it fail with it, the others run.
 */
import { relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { allNeeds, debianTool, isDebianTool, isServer, needsOf, PYTHON_PACKAGES, runScript, SERVERS, type Need, type Server } from './service-scripts.js';

export interface Prepared {
  env?: Record<string, string>;
  error?: string;
  /** How many of the run's files need it (unknown: 0). A server that one file needs is stopped after that file. */
  users: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    seclogServices: Partial<Record<Need, Prepared>>;
  }
}

const ROOT = new URL('..', import.meta.url).pathname;

/** The run's test files, relative to the checkout; null when vitest does not say (then everything is prepared). */
function selectedFiles(project: TestProject): string[] | null {
  try {
    // Experimental API (vitest is pinned in package.json): the run's files, registered before global setups run.
    const paths = project.vitest.state.getPaths();
    return paths.length > 0 ? paths.map((p) => relative(ROOT, p)) : null;
  } catch {
    return null;
  }
}

async function prepare(need: Need, progress: (line: string) => void): Promise<Record<string, string>> {
  if (isDebianTool(need)) return debianTool(need, progress);
  if (!isServer(need)) return runScript(need, 'tools/python-package.sh', [need, PYTHON_PACKAGES[need]], {}, progress);
  const script = `services/${SERVERS[need].script}.sh`;
  // Each run starts on empty servers: what earlier runs wrote (topics, buckets, indices: a few hundred MB a run)
  // would otherwise pile up in the run directory. The tests name what they write per run, so none reads old data.
  await runScript(need, script, ['reset'], SERVERS[need].env, progress);
  return runScript(need, script, ['start'], SERVERS[need].env, progress);
}

function stop(server: Server, progress: (line: string) => void): Promise<unknown> {
  return runScript(server, `services/${SERVERS[server].script}.sh`, ['stop'], SERVERS[server].env, progress).catch((e: Error) => progress(`[${server}] ${e.message}`));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const files = selectedFiles(project);
  const needs = files === null ? allNeeds() : [...new Set(files.flatMap(needsOf))];
  const users = (need: Need) => (files === null ? 0 : files.filter((f) => needsOf(f).includes(need)).length);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const started: Server[] = [];
  const prepared: Partial<Record<Need, Prepared>> = {};
  if (needs.length > 0) {
    const t0 = Date.now();
    progress(`[setup] preparing ${needs.join(', ')} at once (a first run installs them: minutes)`);
    await Promise.all(
      needs.map(async (need) => {
        const t = Date.now();
        try {
          prepared[need] = { env: await prepare(need, progress), users: users(need) };
          progress(`[${need}] ready after ${((Date.now() - t) / 1000).toFixed(1)} s`);
        } catch (err) {
          prepared[need] = { error: (err as Error).message, users: users(need) };
          progress(`[${need}] FAILED after ${((Date.now() - t) / 1000).toFixed(1)} s: ${(err as Error).message}`);
        }
        // A server whose start failed may still have left a process behind: stop it too.
        if (isServer(need)) started.push(need);
      }),
    );
    progress(`[setup] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  project.provide('seclogServices', prepared);
  // Servers their file already stopped are just "not running" here.
  return async () => {
    await Promise.all(started.map((s) => stop(s, progress)));
  };
}
