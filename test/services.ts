/**
 * Real servers for sink tests, started by the project's own scripts (scripts/services/<name>.sh): each installs
 * what it needs on first use and prints KEY=VALUE lines saying where it listens.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helpers.js';

const run = promisify(execFile);

export type ServiceName = 'kafka' | 's3' | 'syslog' | 'search';

export async function service(name: ServiceName, command: 'start' | 'stop' | 'restart' | 'reset' = 'start', env: Record<string, string> = {}): Promise<Record<string, string>> {
  try {
    const { stdout } = await run('bash', [join(ROOT, 'scripts', 'services', `${name}.sh`), command], {
      env: { ...process.env, ...env },
      timeout: 15 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return Object.fromEntries(
      stdout
        .split('\n')
        .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/services/${name}.sh ${command} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
