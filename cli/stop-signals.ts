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

/**
 * Stop requests for an entry point that starts an app: answered from the call on. Until
 * `whenRunning` hands over the stop, a request ends the process at once (exit 0) with one line:
 * while starting (the broker, TensorFlow, the group join, the restore) nothing has been trained or
 * committed, so there is nothing to drain. Node's default would end it silently.
 */
export function stopRequestsFromNow(log: (line: string) => void): { whenRunning(stop: (why: string) => void): void } {
  let running: ((why: string) => void) | null = null;
  onStopRequest((why) => {
    if (running) return running(why);
    log(`${why} while starting: nothing trained or committed yet, stopping now`);
    process.exit(0);
  });
  return { whenRunning: (stop) => { running = stop; } };
}
