/**
 * Calls `stop` once on SIGINT or SIGTERM, or on ENTER when stdin is a terminal (as the
 * reference did). Another signal more than a second later exits at once (the commit protocol
 * makes that safe); within that second it is the same Ctrl-C delivered twice, once to the
 * process group and once relayed by a wrapper such as npm or tsx, and is ignored. npm relays
 * SIGTERM to its script's process; the scripts `exec` node so that this process is the one.
 */
export function onStopRequest(stop: (why: string) => void): void {
  let requestedAt: number | null = null;
  const request = (why: string) => {
    if (requestedAt !== null) {
      if (Date.now() - requestedAt < 1000) return;
      process.stderr.write(`${why} again: exiting now; uncommitted work is redone at the next start\n`);
      process.exit(130);
    }
    requestedAt = Date.now();
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
