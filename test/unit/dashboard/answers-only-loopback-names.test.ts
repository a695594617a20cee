// A dashboard bound to 127.0.0.1 must not be readable by a web page that points a name of its
// own at 127.0.0.1 (DNS rebinding): it answers only requests addressed to loopback names.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorOf, request, startTestServer, type TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(mkdtempSync(path.join(os.tmpdir(), 'dashboard-hosts-')), new Set(['127.0.0.1', 'localhost', '[::1]']));
});
afterAll(() => server.close());

test.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('answers a request for %s', async (name) => {
  expect((await request(server.port, 'GET', '/api/state', undefined, undefined, `${name}:${server.port}`)).status).toBe(200);
});

test('refuses a request for any other name with a 403 that says why', async () => {
  const answer = await request(server.port, 'GET', '/api/state', undefined, undefined, `rebind.example:${server.port}`);
  expect(answer.status).toBe(403);
  expect(errorOf(answer)).toMatch(/answers only requests for 127\.0\.0\.1, localhost, \[::1\], not "rebind\.example"; .*set dashboard\.host/);
  expect(answer.text).not.toContain('"models"');
});
