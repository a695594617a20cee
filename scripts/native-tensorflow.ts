// `npm ci`'s postinstall step (and `npm run native:install`): makes the native TensorFlow backend
// work by building @tensorflow/tfjs-node on the libtensorflow of TensorFlow's PyPI wheel. It never
// fails the install: any step that cannot be done prints one line saying what is missing and what
// to do, and the app uses the wasm backend. STREAMTRAIN_TENSORFLOW=skip skips it; =gpu builds
// @tensorflow/tfjs-node-gpu instead (untested: no GPU here).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildBinding, checkLoads } from './native/binding';
import { layOutDeps } from './native/deps-layout';
import { StepFailure } from './native/run';
import { packageDirectory, removeOtherWithoutBinding, restorePackage } from './native/tfjs-package';
import { cacheDirectory, chooseVariant, ENV_VAR, type NativeVariant } from './native/variants';
import { fetchWheel } from './native/wheels';

const PROJECT = path.resolve(__dirname, '..');
const TAG = 'streamtrain native TensorFlow:';

function say(line: string): void {
  console.log(`${TAG} ${line}`);
}

async function install(variant: NativeVariant): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new StepFailure(
      `this route to libtensorflow (TensorFlow's PyPI wheel) is for Linux x86_64, not ${process.platform}-${process.arch}`,
      `where @tensorflow/tfjs-node's own install works, \`npm install ${variant.pkg}\` gives the native backend`,
    );
  }
  const already = await checkLoads(variant, PROJECT);
  if (typeof already !== 'string') {
    removeOtherWithoutBinding(variant, PROJECT);
    return `${variant.pkg} already works (TensorFlow ${already.tensorflowVersion})`;
  }

  const packageDir = await restorePackage(variant, PROJECT, say);
  const cache = cacheDirectory(process.env);
  const wheelFolder = path.join(cache, 'wheels');
  const wheel = await fetchWheel(variant.tensorflow, wheelFolder, say);
  const runtimeWheels: string[] = [];
  for (const runtime of variant.runtime) runtimeWheels.push(await fetchWheel(runtime, wheelFolder, say));
  await layOutDeps(variant, wheel, runtimeWheels, packageDir, say);
  mkdirSync(cache, { recursive: true });
  await buildBinding(packageDir, path.join(cache, `${variant.mode}-binding-build.log`), say);

  const loaded = await checkLoads(variant, PROJECT);
  if (typeof loaded === 'string') {
    throw new StepFailure(`${variant.pkg} was built but does not load (${loaded})`, `report it with that message; set ${ENV_VAR}=skip to skip this step`);
  }
  return `${variant.pkg} built on ${path.basename(wheel)}: TensorFlow ${loaded.tensorflowVersion} loads (${packageDirectory(PROJECT, variant.pkg)})`;
}

async function main(): Promise<void> {
  const choice = chooseVariant(process.env);
  if (choice.kind === 'skip') {
    say(`skipped (${choice.why}); without a working @tensorflow/tfjs-node the app uses wasm`);
    return;
  }
  try {
    say(`ready: ${await install(choice.variant)}`);
  } catch (error) {
    const detail = error instanceof StepFailure ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    say(`not installed, the wasm backend will be used: ${detail} (set ${ENV_VAR}=skip to skip this step)`);
    // A package without a working binding would make every start log it as broken: remove it,
    // so that the app says plainly that it is not installed.
    const packageDir = packageDirectory(PROJECT, choice.variant.pkg);
    if (existsSync(packageDir) && typeof (await checkLoads(choice.variant, PROJECT)) === 'string') rmSync(packageDir, { recursive: true, force: true });
  }
}

// Whatever happens, `npm ci` goes on.
main().then(
  () => process.exit(0),
  () => process.exit(0),
);
