// Lays out @tensorflow/tfjs-node's deps/ folder the way its own download would have: the shared
// libraries in deps/lib (plus the names its build and install script look for) and the C API
// headers in deps/include. A stamp records which wheel it came from, so a repeat run skips it.
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TFJS_LIBTENSORFLOW_VERSION, type NativeVariant } from './variants';
import { extractEntry, listZip, type ZipEntry } from './zip';

const STAMP = 'streamtrain-wheel.txt';

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

/**
 * Names the binding links with (-ltensorflow, -ltensorflow_framework) and the file install.js
 * checks, as symlinks to the files under their own names (their SONAMEs, which the binding
 * then records and finds at run time through its rpath, deps/lib).
 */
function linkNames(variant: NativeVariant): Array<[string, string]> {
  const [library, framework] = variant.libraries.map((l) => l.to);
  if (library === undefined || framework === undefined) throw new Error(`${variant.mode}: two libraries expected`);
  return [
    ['libtensorflow.so', library],
    ['libtensorflow_framework.so', framework],
    [`libtensorflow.so.${TFJS_LIBTENSORFLOW_VERSION}`, library],
    [`libtensorflow_framework.so.${TFJS_LIBTENSORFLOW_VERSION}`, framework],
  ];
}

/** Shared libraries of runtime wheels (nvidia/<part>/lib/*.so*) go beside libtensorflow. */
async function layOutRuntime(wheels: readonly string[], deps: string, say: (line: string) => void): Promise<void> {
  for (const wheel of wheels) {
    const libraries = (await listZip(wheel)).filter((entry) => /^nvidia\/[^/]+\/lib\/[^/]+\.so[.\d]*$/.test(entry.name));
    say(`extracting ${libraries.length} libraries from ${path.basename(wheel)}`);
    for (const entry of libraries) await extractEntry(wheel, entry, path.join(deps, 'lib', path.basename(entry.name)));
  }
}

function wanted(variant: NativeVariant, entries: readonly ZipEntry[]): Array<[ZipEntry, string]> {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const files: Array<[ZipEntry, string]> = [];
  for (const library of variant.libraries) {
    const entry = byName.get(library.from);
    if (entry === undefined) throw new Error(`the wheel has no ${library.from}`);
    files.push([entry, path.join('lib', library.to)]);
  }
  const include = 'tensorflow/include/';
  for (const entry of entries) {
    if (!entry.name.startsWith(include) || entry.name.endsWith('/')) continue;
    const header = entry.name.slice(include.length);
    if (variant.headers.some((prefix) => header.startsWith(prefix))) files.push([entry, path.join('include', header)]);
  }
  return files;
}

/**
 * Extracts from `wheel` (and the libraries of `runtimeWheels`) into `<packageDir>/deps`, unless
 * the stamp says it is there already.
 */
export async function layOutDeps(
  variant: NativeVariant,
  wheel: string,
  runtimeWheels: readonly string[],
  packageDir: string,
  say: (line: string) => void,
): Promise<void> {
  const deps = path.join(packageDir, 'deps');
  const stamp = path.join(deps, STAMP);
  const source = [wheel, ...runtimeWheels].map((file) => path.basename(file)).join(' ');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === source) {
    say(`deps/ already laid out from ${source}`);
    return;
  }
  rmSync(deps, { recursive: true, force: true });
  const files = wanted(variant, await listZip(wheel));
  const total = files.reduce((sum, [entry]) => sum + entry.size, 0);
  say(`extracting ${files.length} files (${megabytes(total)}) from ${path.basename(wheel)} into ${deps}`);
  let done = 0;
  for (const [entry, target] of files) {
    await extractEntry(wheel, entry, path.join(deps, target));
    done += entry.size;
    if (entry.size > 10e6) say(`  ${path.basename(target)} ${megabytes(entry.size)} (${Math.round((100 * done) / total)}%)`);
  }
  await layOutRuntime(runtimeWheels, deps, say);
  for (const [name, target] of linkNames(variant)) symlinkSync(target, path.join(deps, 'lib', name));
  writeFileSync(stamp, `${source}\n`);
}
