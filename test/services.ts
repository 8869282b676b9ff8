/**
 * Real servers for sink tests and PyPI packages for the Parquet tests, installed and started by the project's own
 * scripts (scripts/services/<name>.sh, scripts/tools/python-package.sh). test/global-setup.ts starts everything the
 * run's files need once, at once, before they run; a file asks for what it needs here. A file run without it (a
 * server the global setup did not start) starts the server itself, and `release` stops it again.
 */
import { inject } from 'vitest';
import { PYTHON_PACKAGES, pythonPackageSync, startServer, type PythonPackage, type Server } from './service-scripts.js';
import type { Prepared } from './global-setup.js';

export { service, type ServiceName } from './service-scripts.js';

const startedHere = new Set<Server>();

function prepared(name: Server | PythonPackage): Prepared | undefined {
  return inject('seclogServices')?.[name];
}

/** The KEY=VALUE lines of a running server (scripts/services/README.md lists them). */
export async function server(name: Server): Promise<Record<string, string>> {
  const got = prepared(name);
  if (got?.error !== undefined) throw new Error(got.error);
  if (got?.env) return got.env;
  startedHere.add(name);
  return startServer(name);
}

/**
 * After the file's tests: stops the server when `server` started it, or when this file is the only one of the run
 * that needs it; otherwise the global setup stops it at the end of the run.
 */
export async function release(name: Server): Promise<void> {
  if (startedHere.delete(name) || prepared(name)?.users === 1) await startServer(name, 'stop');
}

/** PYTHONPATH of an installed PyPI package (at the version test/service-scripts.ts pins). */
export function pythonPath(name: PythonPackage, version: string): string {
  if (version !== PYTHON_PACKAGES[name]) throw new Error(`${name} ${version}: test/service-scripts.ts installs ${PYTHON_PACKAGES[name]}`);
  const got = prepared(name);
  if (got?.error !== undefined) throw new Error(got.error);
  return got?.env?.PYTHONPATH ?? pythonPackageSync(name, version);
}
