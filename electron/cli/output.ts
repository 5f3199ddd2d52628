// How the command line writes: data asked for (always), messages for a person (not with -q/--quiet), errors
// (always, on stderr). Colour and the progress bar only on a terminal, and never with NO_COLOR set.

export const output = { quiet: false };

/** Whether `stream` may be drawn on: a terminal, NO_COLOR unset (or empty), TERM not dumb. */
export function fancy(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
}

/** Green, yellow or red text on a terminal that takes colour; the text alone elsewhere. */
export function paint(text: string, colour: 'green' | 'yellow' | 'red', stream = process.stdout): string {
  if (!fancy(stream)) return text;
  const code = { green: 32, yellow: 33, red: 31 }[colour];
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** What the person asked for: JSON, events, tables, help. Written even with --quiet. */
export function data(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A message on stdout: what was made, the summary. Not with --quiet. */
export function say(text: string): void {
  if (!output.quiet) process.stdout.write(`${text}\n`);
}

/** A note on stderr: progress, what is going on. Not with --quiet. */
export function note(text: string): void {
  if (!output.quiet) process.stderr.write(`${text}\n`);
}

/** An error or a failure: always, on stderr. */
export function problem(text: string): void {
  process.stderr.write(`${text}\n`);
}

/**
 * A reader that went away (`furrow db … | head -1`) is no error: stop quietly, with status 0, as a command killed
 * by SIGPIPE would (workers and locks are cleaned up as after any kill: the orphan guard, the stale lock).
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}
