import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../topology/processor';
import type { Asset } from './assets';
import { PREDICT_BODY_LIMIT, parsePredictRequest } from './predict-request';
import { PredictionError, type Predictor } from './predictor';
import type { ApiError, DashboardEvent } from './protocol';
import type { DashboardState } from './state';

export interface ServerOptions {
  readonly state: DashboardState;
  readonly predictor: Predictor;
  readonly assets: ReadonlyMap<string, Asset>;
  readonly log: Logger;
  /**
   * Host names (without port) the Host header may carry; undefined = any. A dashboard on a
   * loopback address answers only to loopback names, so a web page elsewhere cannot reach it by
   * pointing a name of its own at 127.0.0.1 (DNS rebinding).
   */
  readonly allowedHosts?: ReadonlySet<string>;
}

/** Keeps proxies and idle timeouts from closing a quiet event stream. */
const HEARTBEAT_MS = 15000;

// The page loads only its own files: no script, style or connection to anywhere else.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The dashboard's HTTP server: its three files, the state as JSON, an event stream of changes
 * (server-sent events; the browser's EventSource reconnects by itself) and predictions. Every
 * error answer is JSON `{ "error": sentence }`, logged as a warning.
 */
export function createServer(options: ServerOptions): FastifyInstance {
  const { state, predictor, assets, log, allowedHosts } = options;
  const app = Fastify({ logger: false, bodyLimit: PREDICT_BODY_LIMIT });
  const streams = new Set<ServerResponse>();

  const fail = (reply: FastifyReply, status: number, error: string): FastifyReply => {
    log.warn(`dashboard: ${reply.request.method} ${reply.request.url} -> ${status}: ${error}`);
    return reply.code(status).headers(SECURITY_HEADERS).send({ error } satisfies ApiError);
  };

  if (allowedHosts !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (!allowedHosts.has(host)) {
        return fail(reply, 403, `this dashboard listens on a loopback address and answers only requests for ${[...allowedHosts].join(', ')}, not "${host}"; to open it from elsewhere set dashboard.host (README, Dashboard)`);
      }
    });
  }

  app.get('/api/state', async (_request, reply) => reply.headers(SECURITY_HEADERS).send(state.snapshot()));

  app.get<{ Params: { name: string } }>('/api/models/:name', async (request, reply) => {
    const model = state.snapshot().models.find((m) => m.name === request.params.name);
    if (model === undefined) return fail(reply, 404, `unknown model "${request.params.name}": ${knownModels(state)}`);
    return reply.headers(SECURITY_HEADERS).send(model);
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...SECURITY_HEADERS });
    const send = (event: string, data: unknown): void => void raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // retry: how soon the browser reconnects after the server went away.
    raw.write('retry: 2000\n\n');
    send('snapshot', state.snapshot());
    const unsubscribe = state.subscribe((event: DashboardEvent) => send(event.type, event));
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    streams.add(raw);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(raw);
    });
  });

  app.post('/api/predict', async (request, reply) => {
    const parsed = parsePredictRequest(request.body);
    if (!parsed.ok) return fail(reply, 400, parsed.error);
    if (parsed.model !== undefined && !state.hasModel(parsed.model)) {
      return fail(reply, 404, `unknown model "${parsed.model}": ${knownModels(state)}`);
    }
    try {
      return reply.headers(SECURITY_HEADERS).send(await predictor.predict(parsed.pixels));
    } catch (error) {
      if (error instanceof PredictionError) return fail(reply, error.status, error.message);
      throw error;
    }
  });

  app.get('/*', async (request, reply) => {
    // Exact paths only: "/../x", "/app.js/../../x" or "/%2e%2e/x" match nothing and read nothing.
    const asset = assets.get(request.url.split('?')[0] ?? '');
    if (asset === undefined) return fail(reply, 404, `no such file: the dashboard serves ${[...assets.keys()].join(', ')} and /api/*`);
    return reply.type(asset.type).headers(SECURITY_HEADERS).send(asset.body);
  });

  app.setNotFoundHandler((request, reply) => fail(reply, 404, `no such route: ${request.method} ${request.url}`));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return fail(reply, 413, `the request body is over ${PREDICT_BODY_LIMIT} bytes: a prediction is one JSON object with exactly 784 pixels`);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(reply, 415, 'send the prediction as JSON (content-type: application/json)');
    if (error.statusCode !== undefined && error.statusCode < 500) return fail(reply, error.statusCode, `bad request: ${error.message}`);
    log.error(`dashboard: ${error.stack ?? error.message}`);
    return fail(reply, 500, `internal error: ${error.message}`);
  });
  // Open event streams would keep close() waiting forever.
  app.addHook('onClose', async () => {
    for (const stream of streams) stream.end();
  });
  return app;
}

function knownModels(state: DashboardState): string {
  const names = state.modelsByRecency();
  return names.length === 0 ? 'the metrics topic holds no model yet' : `the metrics topic holds ${names.map((n) => `"${n}"`).join(', ')}`;
}
