import net from 'node:net';
import { allRefuse } from '../../../topology/kafka/tcp-probe';

/** A port nothing listens on: one the system gave a server that is closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('telling at once that no broker listens', () => {
  let server: net.Server;
  let open: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is sure when every address refuses the connection', async () => {
    const closed = await closedPort();
    expect(await allRefuse(`127.0.0.1:${closed}`)).toBe(true);
    expect(await allRefuse(`localhost:${closed},PLAINTEXT://127.0.0.1:${closed}`)).toBe(true);
  });

  it('leaves it to the Kafka client when one address answers or one cannot be read', async () => {
    const closed = await closedPort();
    expect(await allRefuse(`127.0.0.1:${closed},127.0.0.1:${open}`)).toBe(false);
    expect(await allRefuse(`127.0.0.1:${open}`)).toBe(false);
    expect(await allRefuse(`127.0.0.1:${closed},no-port-here`)).toBe(false);
  });
});
