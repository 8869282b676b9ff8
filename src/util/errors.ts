/** Errors every stage may raise for the user to act on. */

/** An error in how seclog was invoked or in its inputs (missing files, bad flags) that is not a config key. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
