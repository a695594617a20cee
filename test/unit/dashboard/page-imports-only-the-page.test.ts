// The page is bundled for the browser: it may import its own files, uPlot and the protocol's
// types, never the server, Kafka or TensorFlow.js (they would not run there, or bloat the bundle).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PAGE = path.resolve(__dirname, '..', '..', '..', 'dashboard', 'page');
const files = readdirSync(PAGE).filter((name) => name.endsWith('.ts'));

test.each(files)('dashboard/page/%s imports only the page, uplot and the protocol types', (file) => {
  const source = readFileSync(path.join(PAGE, file), 'utf8');
  const imports = [...source.matchAll(/^import (type )?.*from '([^']+)'/gm)].map((m) => ({ typeOnly: m[1] !== undefined, spec: m[2] ?? '' }));
  const outward = imports.filter(({ typeOnly, spec }) => !(spec.startsWith('./') || spec === 'uplot' || (spec === '../protocol' && (typeOnly || file === 'draw.ts'))));
  expect(outward).toEqual([]);
});
