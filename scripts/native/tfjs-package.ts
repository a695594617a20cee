// Brings @tensorflow/tfjs-node(-gpu) back into node_modules without its install script. `npm ci`
// drops an optional dependency whose install script failed, and tfjs-node's always fails now
// (its libtensorflow download answers 403). `npm install --no-save --ignore-scripts` restores it
// at the version of our package.json without touching package-lock.json.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lastLines, onPath, run, StepFailure } from './run';
import type { NativeVariant } from './variants';

type PackageName = NativeVariant['pkg'];

export function packageDirectory(projectDir: string, pkg: PackageName): string {
  return path.join(projectDir, 'node_modules', pkg);
}

function wantedVersion(projectDir: string, pkg: PackageName): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8'));
  const optional: unknown = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'optionalDependencies') : undefined;
  const version: unknown = typeof optional === 'object' && optional !== null ? Reflect.get(optional, pkg) : undefined;
  if (typeof version !== 'string') throw new Error(`package.json has no optionalDependencies entry for ${pkg}`);
  return version;
}

/** npm as the running `npm ci` was started (npm_execpath), else npm on PATH. */
function npmCommand(): { command: string; prefix: string[] } | undefined {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  const npm = onPath('npm');
  return npm === undefined ? undefined : { command: npm, prefix: [] };
}

function hasBinding(packageDir: string): boolean {
  return existsSync(path.join(packageDir, 'lib'));
}

/** Ensures the package of `variant` is in node_modules; returns its folder. */
export async function restorePackage(variant: NativeVariant, projectDir: string, say: (line: string) => void): Promise<string> {
  const dir = packageDirectory(projectDir, variant.pkg);
  if (!existsSync(path.join(dir, 'package.json'))) {
    const version = wantedVersion(projectDir, variant.pkg);
    const npm = npmCommand();
    if (npm === undefined) throw new StepFailure('npm was not found on PATH', 'run the install from npm (`npm ci`)');
    say(`restoring ${variant.pkg}@${version} (npm dropped it after its own install script failed)`);
    const spec = `${variant.pkg}@${version}`;
    const args = [...npm.prefix, 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', spec];
    const result = await run(npm.command, args, { cwd: projectDir });
    if (result.code !== 0 || !existsSync(path.join(dir, 'package.json'))) {
      throw new StepFailure(`npm could not install ${spec} (${lastLines(result.output, 2)})`, 'check that the npm registry is reachable, then run `npm run native:install`');
    }
  }
  removeOtherWithoutBinding(variant, projectDir);
  return dir;
}

/**
 * An `npm install` brings back the other optional package too, without a binding: it is removed,
 * or the backend choice would find it installed and report it broken.
 */
export function removeOtherWithoutBinding(variant: NativeVariant, projectDir: string): void {
  for (const other of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'] as const) {
    const otherDir = packageDirectory(projectDir, other);
    if (other !== variant.pkg && existsSync(otherDir) && !hasBinding(otherDir)) rmSync(otherDir, { recursive: true, force: true });
  }
}
