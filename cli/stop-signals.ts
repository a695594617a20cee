/**
 * Calls `stop` once on SIGINT or SIGTERM, or on ENTER when stdin is a terminal (as the
 * reference did). A second signal exits at once: the commit protocol makes that safe.
 */
export function onStopRequest(stop: (why: string) => void): void {
  let requested = false;
  const request = (why: string) => {
    if (requested) {
      process.stderr.write(`${why} again: exiting now; uncommitted work is redone at the next start\n`);
      process.exit(130);
    }
    requested = true;
    stop(why);
  };
  process.on('SIGINT', () => request('SIGINT'));
  process.on('SIGTERM', () => request('SIGTERM'));
  if (process.stdin.isTTY) {
    process.stdin.setEncoding('utf8');
    process.stdin.once('data', () => request('ENTER'));
    process.stdin.unref();
  }
}
