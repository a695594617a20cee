import type { Logger } from './processor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger that writes `time level [scope] message` lines at or above `level`. */
export function createLogger(level: LogLevel = 'info', scope = 'streamtrain', write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const at = (lvl: LogLevel) => (message: string) => {
    if (ORDER[lvl] < ORDER[level]) return;
    write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${scope}] ${message}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Keeps lines in memory: for tests that assert what was logged. */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const at = (lvl: string) => (message: string) => { lines.push(`${lvl} ${message}`); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
