// The topology core (DSL, engine, MemoryIO, TopologyTestDriver) must stay usable without a broker
// and without MNIST: its files import neither node-rdkafka nor TensorFlow.js, nor anything of the
// app (processors, model, cli, config), nor the node-rdkafka runtime in topology/kafka/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CORE = path.resolve(__dirname, '..', '..', '..', 'topology');
const coreFiles = readdirSync(CORE).filter((name) => name.endsWith('.ts'));

function importsOf(file: string): string[] {
  const source = readFileSync(path.join(CORE, file), 'utf8');
  return [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

test('the core has files to check', () => {
  expect(coreFiles).toEqual(expect.arrayContaining(['task.ts', 'stream-loop.ts', 'test-driver.ts', 'memory-io.ts']));
});

test.each(coreFiles)('topology/%s imports only the core, serde contracts and node built-ins', (file) => {
  const outward = importsOf(file).filter((spec) => {
    if (spec.startsWith('node:')) return false;
    if (spec.startsWith('./') && !spec.startsWith('./kafka')) return false;
    if (spec === '../serdes/serde') return false; // the Serde interface, not an implementation
    return true;
  });
  expect(outward).toEqual([]);
});
