// Child processes of the native install, and the one kind of failure it reports: what is missing
// and what to do, printed as one line while `npm ci` goes on with the wasm backend.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export class StepFailure extends Error {
  override readonly name = 'StepFailure';

  constructor(
    readonly missing: string,
    readonly remedy: string,
  ) {
    super(`${missing}; ${remedy}`);
  }
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Show the child's output as it runs (its own progress bar) instead of capturing it. */
  readonly inherit?: boolean;
}

/** Runs a command to its end; never rejects on a non-zero exit, only when it cannot start. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The full path of an executable on PATH, or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (folder === '') continue;
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The last lines of a command's output, for a failure message that points at the cause. */
export function lastLines(output: string, count: number): string {
  return output.trim().split('\n').slice(-count).join(' | ');
}
