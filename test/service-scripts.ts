/**
 * The real servers, Python packages and Debian tools the tests use, installed and started by the project's own
 * scripts (scripts/services/<name>.sh, scripts/tools/python-package.sh, debian-package.sh): each installs what it
 * needs on first use and prints KEY=VALUE lines (debian-package.sh: a path, handed over as COMMAND_PATH). Plain Node, no vitest: test/global-setup.ts (in vitest's main process) and test/services.ts (in
 * the test files) both use it.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');

export type ServiceName = 'kafka' | 's3' | 'syslog' | 'search' | 'postgres';

/** The servers the suite runs: a script and its settings (the Elasticsearch node is search.sh beside OpenSearch). */
export const SERVERS = {
  kafka: { script: 'kafka', env: {} },
  postgres: { script: 'postgres', env: {} },
  s3: { script: 's3', env: {} },
  syslog: { script: 'syslog', env: {} },
  opensearch: { script: 'search', env: {} },
  elasticsearch: { script: 'search', env: { SEARCH_FLAVOR: 'elasticsearch', SEARCH_PORT: '29200', SEARCH_TRANSPORT_PORT: '29300', SECLOG_RUN_DIR: '/tmp/seclog-services-es' } },
} satisfies Record<string, { script: ServiceName; env: Record<string, string> }>;
export type Server = keyof typeof SERVERS;

/**
 * PyPI packages the Parquet tests read our files with, and pySigma's SQLite backend (pulls pySigma 2.0.1) that the
 * Sigma compiler is compared with, at the versions they were checked against.
 */
export const PYTHON_PACKAGES = { pyarrow: '26.0.1', pyspark: '4.3.0', 'pysigma-backend-sqlite': '2.1.1' };
export type PythonPackage = keyof typeof PYTHON_PACKAGES;

/** Debian packages the browser tests drive (scripts/tools/debian-package.sh COMMAND PACKAGE): command → package. */
export const DEBIAN_TOOLS = { chromium: 'chromium' };
export type DebianTool = keyof typeof DEBIAN_TOOLS;

export type Need = Server | PythonPackage | DebianTool;

/** What each test file needs (test/global-setup.ts prepares it for the files of the run, all at once). */
export function needsOf(file: string): Need[] {
  switch (file) {
    case 'test/kafka.test.ts':
      return ['kafka'];
    case 'test/siem-services.test.ts':
      return ['kafka', 'postgres'];
    case 'test/s3.test.ts':
      return ['s3'];
    case 'test/syslog.test.ts':
      return ['syslog'];
    case 'test/http.test.ts':
      return hasJdk21() ? ['opensearch', 'elasticsearch'] : ['opensearch'];
    case 'test/parquet-writer.test.ts':
      return ['pyarrow', 'pyspark'];
    case 'test/sigma-pysigma.test.ts':
      return ['pysigma-backend-sqlite'];
    case 'test/console.test.ts':
      return ['chromium'];
    default:
      return [];
  }
}

/** Everything the suite can need (what `needsOf` gives for every file). */
export function allNeeds(): Need[] {
  const servers = (Object.keys(SERVERS) as Server[]).filter((s) => s !== 'elasticsearch' || hasJdk21());
  return [...servers, ...(Object.keys(PYTHON_PACKAGES) as PythonPackage[]), ...(Object.keys(DEBIAN_TOOLS) as DebianTool[])];
}

export function isServer(need: Need): need is Server {
  return need in SERVERS;
}

export function isDebianTool(need: Need): need is DebianTool {
  return need in DEBIAN_TOOLS;
}

/** debian-package.sh prints the command's path: handed over as COMMAND_PATH. */
const commandPath = (stdout: string): Record<string, string> => ({ COMMAND_PATH: stdout.trim().split('\n').pop() ?? '' });

/** Installs a Debian package (once, with apt) and returns its command's path. */
export function debianToolSync(name: DebianTool): string {
  return commandPath(execFileSync('bash', [join(ROOT, 'scripts', 'tools', 'debian-package.sh'), name, DEBIAN_TOOLS[name]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })).COMMAND_PATH;
}

/** Installs a Debian package in the background (the global setup); its command's path as COMMAND_PATH. */
export function debianTool(name: DebianTool, progress: (line: string) => void): Promise<Record<string, string>> {
  return runScript(name, 'tools/debian-package.sh', [name, DEBIAN_TOOLS[name]], {}, progress, commandPath);
}

/** Elasticsearch 9 needs a JDK 21+; this machine kind usually has Temurin 25 under /usr/lib/jvm beside Java 17. */
export function hasJdk21(): boolean {
  if (!existsSync('/usr/lib/jvm')) return false;
  return readdirSync('/usr/lib/jvm').some((d) => {
    const release = `/usr/lib/jvm/${d}/release`;
    const m = existsSync(release) && existsSync(`/usr/lib/jvm/${d}/bin/javac`) ? /JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8')) : null;
    return m !== null && Number(m[1]) >= 21;
  });
}

function keyValues(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

const run = promisify(execFile);

/** Runs scripts/services/<name>.sh <command>; its KEY=VALUE lines. Its progress (stderr) is kept for the error. */
export async function service(name: ServiceName, command: 'start' | 'stop' | 'restart' | 'reset' = 'start', env: Record<string, string> = {}): Promise<Record<string, string>> {
  try {
    const { stdout } = await run('bash', [join(ROOT, 'scripts', 'services', `${name}.sh`), command], {
      env: { ...process.env, ...env },
      timeout: 15 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return keyValues(stdout);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/services/${name}.sh ${command} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

export function startServer(server: Server, command: 'start' | 'stop' | 'restart' | 'reset' = 'start'): Promise<Record<string, string>> {
  return service(SERVERS[server].script, command, SERVERS[server].env);
}

/** Installs a PyPI package into the cache (once) and returns its PYTHONPATH. */
export function pythonPackageSync(name: string, version: string): string {
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'tools', 'python-package.sh'), name, version], { encoding: 'utf8' });
  return keyValues(out).PYTHONPATH;
}

/**
 * Runs a script with its progress lines (stderr) passed on as they come, prefixed, so that a long first install shows
 * what it is doing; its KEY=VALUE lines.
 */
export function runScript(label: string, script: string, args: string[], env: Record<string, string>, progress: (line: string) => void, parse: (stdout: string) => Record<string, string> = keyValues): Promise<Record<string, string>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(ROOT, 'scripts', script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), 20 * 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const l of lines) if (l.trim()) progress(`[${label}] ${l}`);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(parse(stdout));
      else reject(new Error(`scripts/${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${stdout}\n${stderr}`));
    });
  });
}
