// What a browser, a curious user or an attacker may send the dashboard: each gets a clear
// answer, is logged, and reads nothing outside the dashboard's own three files.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorOf, request, startTestServer, type TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(mkdtempSync(path.join(os.tmpdir(), 'dashboard-no-export-')));
});
afterAll(() => server.close());

const pixels = (n: number, value = 0) => JSON.stringify({ pixels: Array<number>(n).fill(value) });

test('serves its page, script and stylesheet, with a policy that loads nothing from elsewhere', async () => {
  const page = await request(server.port, 'GET', '/');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<script src="/app.js"></script>');
  const script = await request(server.port, 'GET', '/app.js');
  expect(script.type).toMatch(/javascript/);
  expect(script.text.length).toBeGreaterThan(10000); // uPlot is bundled in
  expect((await request(server.port, 'GET', '/app.css')).text).toContain('.uplot');
});

test.each([
  '/../../../../etc/passwd',
  '/app.js/../../package.json',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%2f..%2fpackage.json',
  '/dashboard/server.ts',
  '/node_modules/uplot/package.json',
])('a traversal or unknown path (%s) is a 404 that reads no file', async (target) => {
  const answer = await request(server.port, 'GET', target);
  expect(answer.status).toBe(404);
  expect(errorOf(answer)).toMatch(/no such (file|route)/);
  expect(answer.text).not.toMatch(/root:|"name": "streamtrain"|createServer/);
});

test('a malformed prediction body is a 400 that says what is wrong', async () => {
  const answer = await request(server.port, 'POST', '/api/predict', '{"pixels": [1, 2,');
  expect(answer.status).toBe(400);
  expect(errorOf(answer)).toMatch(/bad request: .*JSON/i);
  expect(server.log.lines.some((l) => l.startsWith('warn') && l.includes('POST /api/predict -> 400'))).toBe(true);
});

test.each([
  [783, /exactly 784 values .* got 783/],
  [785, /exactly 784 values .* got 785/],
  [0, /exactly 784 values .* got 0/],
])('%i pixels is a 400 naming the 784 expected', async (n, message) => {
  const answer = await request(server.port, 'POST', '/api/predict', pixels(n));
  expect(answer.status).toBe(400);
  expect(errorOf(answer)).toMatch(message);
});

test('a pixel out of 0-255, or no pixels at all, is a 400 naming the value', async () => {
  const body = Array<number>(784).fill(0);
  body[17] = 256;
  expect(errorOf(await request(server.port, 'POST', '/api/predict', JSON.stringify({ pixels: body })))).toBe('pixel 17 is 256: each pixel must be a whole number 0-255');
  expect(errorOf(await request(server.port, 'POST', '/api/predict', '[1,2,3]'))).toMatch(/JSON object/);
});

test('an oversized body is refused before it is parsed (413)', async () => {
  const answer = await request(server.port, 'POST', '/api/predict', Buffer.alloc(1024 * 1024, 0x31));
  expect(answer.status).toBe(413);
  expect(errorOf(answer)).toMatch(/over 16384 bytes.*exactly 784 pixels/);
});

test('a body that is not JSON is a 415', async () => {
  const answer = await request(server.port, 'POST', '/api/predict', 'pixels=1,2,3', 'application/x-www-form-urlencoded');
  expect(answer.status).toBe(415);
  expect(errorOf(answer)).toMatch(/JSON/);
});

test('an unknown model is a 404 listing the models the topic holds', async () => {
  const answer = await request(server.port, 'GET', '/api/models/nobody');
  expect(answer.status).toBe(404);
  expect(errorOf(answer)).toBe('unknown model "nobody": the metrics topic holds no model yet');
  const predict = await request(server.port, 'POST', '/api/predict', JSON.stringify({ pixels: Array<number>(784).fill(0), model: 'nobody' }));
  expect(predict.status).toBe(404);
});

test('before the app exported a model, a prediction says so', async () => {
  const answer = await request(server.port, 'POST', '/api/predict', pixels(784));
  expect(answer.status).toBe(404);
  expect(errorOf(answer)).toMatch(/^no exported model yet in .*dashboard-no-export-.*: the app writes one at its first commit/);
});
