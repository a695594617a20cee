// Builds tfjs-node's binding (binding/*.cc, linked against deps/lib) with node-pre-gyp and
// node-gyp, from source since there is no prebuilt one to download, and checks in a fresh Node
// process that the package loads and runs an op on the native library.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lastLines, onPath, run, StepFailure } from './run';
import type { NativeVariant } from './variants';

/** Node's own headers beside the running node (e.g. /usr/include/node): node-gyp need not download them. */
function buildEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (!env.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    if (existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  }
  return env;
}

function requireTools(): void {
  const missing = [onPath('c++') || onPath('g++') ? undefined : 'a C++ compiler', onPath('make') ? undefined : 'make'];
  const names = missing.filter((name): name is string => name !== undefined);
  if (names.length > 0) {
    throw new StepFailure(`${names.join(' and ')} not found (they build tfjs-node's binding)`, 'install them (Debian: apt-get install g++ make)');
  }
}

/** Compiles the binding into `<packageDir>/lib`; the full build log goes to `logFile`. */
export async function buildBinding(packageDir: string, logFile: string, say: (line: string) => void): Promise<void> {
  requireTools();
  let nodePreGyp: string;
  try {
    nodePreGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [packageDir] });
  } catch {
    throw new StepFailure('@mapbox/node-pre-gyp was not installed with tfjs-node', 'run `npm ci` again');
  }
  say('building the binding with node-gyp (about 10 s)');
  const result = await run(process.execPath, [nodePreGyp, 'install', '--build-from-source'], { cwd: packageDir, env: buildEnvironment() });
  writeFileSync(logFile, result.output);
  if (result.code !== 0) {
    const cause = result.output.match(/fatal error: [^\n]+|gyp ERR! stack Error: [^\n]+/)?.[0] ?? lastLines(result.output, 1);
    throw new StepFailure(`the binding did not build (${cause}; log: ${logFile})`, 'fix the cause, then run `npm run native:install`');
  }
}

export interface LoadCheck {
  readonly tensorflowVersion: string;
}

const CHECK = `
const tf = require(process.argv[1]);
const sum = tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0];
if (tf.getBackend() !== 'tensorflow' || sum !== 14) throw new Error('backend ' + tf.getBackend() + ' computed ' + sum);
process.stdout.write(String(tf.backend().binding.TF_Version));
`;

/** Loads the package in a child process (a failed load cannot be undone in this one). */
export async function checkLoads(variant: NativeVariant, projectDir: string): Promise<LoadCheck | string> {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };
  const result = await run(process.execPath, ['-e', CHECK, variant.pkg], { cwd: projectDir, env });
  if (result.code !== 0) return result.output.match(/Error: [^\n]+/)?.[0] ?? lastLines(result.output, 1);
  return { tensorflowVersion: result.output.trim().split('\n').pop() ?? '' };
}
