/**
 * The `seclog` command line. Each command is a file in commands/; this file puts them together and turns every
 * error into what a user can act on: a bad flag, config or destination is one message naming the key, the value and
 * what is allowed, with exit status 2 and nothing written; undelivered records exit 1 with their counts.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../util/errors.js';
import { ConfigError } from '../util/config-errors.js';
import { DeliveryError } from '../sinks/delivery.js';
import { DestinationError, reason } from '../util/files.js';
import { packageVersion } from '../util/package.js';
import { SOURCES } from '../sources/registry.js';
import { actorsCommand } from './commands/actors.js';
import { catalogCommand } from './commands/catalog.js';
import { scenariosCommand } from './commands/scenarios.js';
import { demoCommand } from './commands/demo.js';
import { genCommand } from './commands/gen.js';
import { packCommand } from './commands/pack.js';
import { schemaCommand } from './commands/schema.js';
import { shapesCommand } from './commands/shapes.js';
import { siemCommand } from './commands/siem.js';
import { validateCommand } from './commands/validate.js';

const COMMANDS = [actorsCommand, genCommand, demoCommand, catalogCommand, scenariosCommand, validateCommand, schemaCommand, shapesCommand, packCommand, siemCommand];

// `seclog catalog | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command()
  .name('seclog')
  .description(`Realistic security logs at volume: an actor population drives vendor-exact records (sources: ${SOURCES.map((s) => s.type).join(', ')}).`)
  .version(packageVersion(), '-V, --version', 'print the version')
  // Errors are printed by the catch below, in one line; commander only reports them.
  .exitOverride()
  .configureOutput({ outputError: () => undefined });
for (const make of COMMANDS) program.addCommand(make().exitOverride().configureOutput({ outputError: () => undefined }));

/** The command the arguments name (for the `--help` hint), if any. */
function commandOf(argv: readonly string[]): string | undefined {
  const names = new Set(program.commands.map((c) => c.name()));
  return argv.slice(2).find((a) => names.has(a));
}

function fail(status: number, message: string): never {
  process.stderr.write(`seclog: ${message}\n`);
  process.exit(status);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  const help = `see 'seclog${commandOf(process.argv) ? ` ${commandOf(process.argv)}` : ''} --help'`;
  if (err instanceof CommanderError) {
    // Help and version were printed on request; `seclog` alone printed the help as its error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
    if (err.code === 'commander.help') process.exit(2);
    const message = err.message
      .replace(/^error: /, '')
      .replace(/\n\(Did you mean/, ' (did you mean')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '');
    fail(2, `${message}; ${help}`);
  }
  if (err instanceof ConfigError) fail(2, err.message);
  if (err instanceof UsageError && err.name === 'FlagError') fail(2, `${err.message}; ${help}`);
  if (err instanceof UsageError || err instanceof DestinationError) fail(2, err.message);
  // Undelivered records: the message says what and how many; a stack trace would only bury it.
  if (err instanceof DeliveryError) fail(1, err.message);
  // The file system refused something during the run (disk full, a directory removed under us).
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.syscall === 'string') fail(1, `${e.syscall} ${e.path ?? ''}: ${reason(e)}`.replace(' :', ':'));
  if (process.env.SECLOG_DEBUG) fail(1, err instanceof Error ? (err.stack ?? err.message) : String(err));
  fail(1, `internal error: ${err instanceof Error ? err.message : String(err)} (run again with SECLOG_DEBUG=1 for the stack trace, and please report it)`);
});
