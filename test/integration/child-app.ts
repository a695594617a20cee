import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../../config/load';

const PROJECT = path.resolve(__dirname, '../..');

/** Writes `config` to a temporary JSON file, for `--config`. */
export function configFile(config: AppConfig | Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'streamtrain-it-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export interface ChildRun {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Runs an entry point of cli/ as `npm start` does, in its own process. */
export function runCli(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildRun {
  // `node --import tsx`, not the tsx CLI: one process, so a signal reaches the app itself rather
  // than a wrapper that relays it (twice for a Ctrl-C) or dies alone on SIGKILL.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT, 'cli', script), ...args], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  child.stderr?.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => text, exited };
}
