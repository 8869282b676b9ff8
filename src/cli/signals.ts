/**
 * Ctrl-C and SIGTERM during a run. The first signal asks the run to stop at the next batch boundary and to flush,
 * close and rename its files; a second one exits at once (files not yet complete stay hidden `.tmp` files, which the
 * next run into that directory removes). If the flush is still going after a few seconds, the user is told how to
 * stop at once, so a run never just seems to hang.
 */

const HINT_AFTER_MS = 5_000;

export function stopOnSignals(stream: NodeJS.WritableStream = process.stderr): Promise<string> {
  return new Promise((resolveSignal) => {
    let seen = false;
    const handler = (signal: NodeJS.Signals) => {
      if (seen) {
        stream.write(`\n[seclog] ${signal} again: stopping now; files not yet complete stay hidden and the next run into their directory removes them\n`);
        process.exit(130);
      }
      seen = true;
      stream.write(`\n[seclog] ${signal}: flushing and closing files… (press Ctrl-C again to stop at once)\n`);
      const hint = setTimeout(() => stream.write(`[seclog] still flushing after ${HINT_AFTER_MS / 1000} s (outputs are delivering what is in flight); press Ctrl-C again to stop at once\n`), HINT_AFTER_MS);
      hint.unref();
      resolveSignal(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
