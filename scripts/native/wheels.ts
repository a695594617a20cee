// Fetches wheels with pip into our cache, without installing anything into Python: pip only
// downloads (`pip download --no-deps --only-binary=:all:` for a fixed Python version and
// platform, so any local Python will do). A wheel already in the cache is used as it is.
import { readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { onPath, run, StepFailure } from './run';
import type { Wheel } from './variants';
import { listZip } from './zip';

interface Pip {
  readonly command: string;
  readonly prefix: readonly string[];
}

async function works(pip: Pip): Promise<boolean> {
  try {
    return (await run(pip.command, [...pip.prefix, '--version'])).code === 0;
  } catch {
    return false;
  }
}

async function findPip(): Promise<Pip> {
  const candidates: Pip[] = [];
  for (const python of ['python3', 'python']) {
    const found = onPath(python);
    if (found) candidates.push({ command: found, prefix: ['-m', 'pip'] });
  }
  for (const pip of ['pip3', 'pip']) {
    const found = onPath(pip);
    if (found) candidates.push({ command: found, prefix: [] });
  }
  for (const pip of candidates) {
    if (await works(pip)) return pip;
  }
  throw new StepFailure('Python\'s pip was not found (it fetches TensorFlow\'s wheel from PyPI)', 'install it (Debian: apt-get install python3-pip)');
}

function cached(folder: string, wheel: Wheel): string | undefined {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  const name = names.find((file) => file.startsWith(wheel.filePrefix) && file.endsWith('.whl'));
  return name === undefined ? undefined : path.join(folder, name);
}

/** An intact zip: a download cut short has no central directory. */
async function intact(file: string): Promise<boolean> {
  try {
    await listZip(file);
    return true;
  } catch {
    return false;
  }
}

/** Path of `wheel` in `folder`, downloaded by pip unless an intact copy is there already. */
export async function fetchWheel(wheel: Wheel, folder: string, say: (line: string) => void): Promise<string> {
  const present = cached(folder, wheel);
  if (present !== undefined) {
    if (await intact(present)) {
      say(`wheel ${path.basename(present)} (cached in ${folder})`);
      return present;
    }
    rmSync(present, { force: true });
  }
  await mkdir(folder, { recursive: true });
  const pip = await findPip();
  say(`downloading ${wheel.requirement} with pip into ${folder}`);
  const args = [
    ...pip.prefix,
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '--python-version',
    wheel.pythonVersion,
    '--platform',
    wheel.platform,
    '--dest',
    folder,
    wheel.requirement,
  ];
  // pip prints its own progress bar; stdout of this script is the terminal of `npm ci`.
  const result = await run(pip.command, args, { inherit: true });
  const fetched = cached(folder, wheel);
  if (result.code !== 0 || fetched === undefined || !(await intact(fetched))) {
    throw new StepFailure(
      `pip could not download ${wheel.requirement} for ${wheel.platform}`,
      'check that PyPI (or your pip index) is reachable, then run `npm run native:install`',
    );
  }
  return fetched;
}
