import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildAssets } from '../../../dashboard/assets';
import { Predictor } from '../../../dashboard/predictor';
import { createServer } from '../../../dashboard/server';
import { DashboardState } from '../../../dashboard/state';
import { memoryLogger } from '../../../topology/logger';

export interface TestServer {
  readonly state: DashboardState;
  readonly log: ReturnType<typeof memoryLogger>;
  readonly port: number;
  close(): Promise<void>;
}

/** The dashboard's real HTTP server on a free port of 127.0.0.1, with no Kafka behind it. */
export async function startTestServer(exportDir: string, allowedHosts?: ReadonlySet<string>): Promise<TestServer> {
  const log = memoryLogger();
  const state = new DashboardState({ brokers: '127.0.0.1:1', topics: { metrics: 'm', deadLetter: 'd', source: 's' } });
  const predictor = new Predictor(exportDir, log);
  const server: FastifyInstance = createServer({ state, predictor, assets: await buildAssets(), log, ...(allowedHosts ? { allowedHosts } : {}) });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return {
    state,
    log,
    port,
    close: async () => {
      await server.close();
      predictor.dispose();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

/** One HTTP request with the path sent exactly as given (no "..", "%2e" clean-up by a client). */
export function request(port: number, method: string, path: string, body?: string | Buffer, contentType = 'application/json', host?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...(body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }), ...(host ? { host } : {}) };
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const errorOf = (answer: Answer): string => (JSON.parse(answer.text) as { error: string }).error;
