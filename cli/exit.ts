import { ConfigError } from '../config/errors';
import { ArgumentError } from './args';
import { HelpRequested } from './command-line';

/** Errors that say what to fix in their message: shown without a stack. */
function isUserFacing(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof ArgumentError || (error instanceof Error && ['StartupError', 'BackendUnavailableError', 'KafkaClientError', 'DashboardError', 'TwinInstanceError'].includes(error.name));
}

/**
 * Runs an entry point: exit status 0 when it resolves (or the number it resolves to); `--help`
 * prints the help and exits 0; a known error prints `name: what to fix` and exits 1 (a message
 * of several lines, such as several config problems, keeps one problem a line); anything else
 * prints its stack.
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      if (error instanceof HelpRequested) {
        process.stdout.write(error.text);
        process.exit(0);
      }
      const text = isUserFacing(error)
        ? error.message.split('\n').map((l) => l.trimEnd()).filter(Boolean).join('\n')
        : error instanceof Error ? error.stack ?? error.message : String(error);
      process.stderr.write(`${name}: ${text}\n`);
      process.exit(1);
    },
  );
}
