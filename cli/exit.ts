import { ConfigError } from '../config/errors';
import { ArgumentError } from './args';

/** Errors that say what to fix in their message: shown as one line, without a stack. */
function isUserFacing(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof ArgumentError || (error instanceof Error && ['StartupError', 'BackendUnavailableError', 'KafkaClientError', 'DashboardError'].includes(error.name));
}

/**
 * Runs an entry point: exit status 0 when it resolves (or the number it resolves to), 1 with
 * one line `name: what to fix` on a known error, and the stack for anything else.
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      const text = isUserFacing(error)
        ? error.message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')
        : error instanceof Error ? error.stack ?? error.message : String(error);
      process.stderr.write(`${name}: ${text}\n`);
      process.exit(1);
    },
  );
}
