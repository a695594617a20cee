// The README's configuration reference is describeConfig()'s table: they must not drift apart.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeConfig } from '../../../config/load';

test('the README holds the configuration table exactly as describeConfig() renders it', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const rows = describeConfig().split('\n').filter((line) => line.startsWith('| `'));
  expect(rows.length).toBeGreaterThan(20);
  const missing = rows.filter((row) => !readme.includes(row));
  expect(missing).toEqual([]);
});
