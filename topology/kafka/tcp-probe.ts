import net from 'node:net';

/**
 * Whether anything listens at each bootstrap address, by a plain TCP connect. librdkafka retries
 * a refused connection until its timeout (15 s here), so a broker that is simply not running
 * would keep a user waiting; a refusal is certain, and is reported at once instead. Addresses
 * that time out or cannot be parsed count as unknown and are left to librdkafka.
 */
export async function allRefuse(brokers: string, timeoutMs = 3000): Promise<boolean> {
  const addresses = brokers.split(',').map((b) => parseAddress(b.trim()));
  if (addresses.length === 0 || addresses.some((a) => a === null)) return false;
  const results = await Promise.all(addresses.map((a) => (a ? refuses(a.host, a.port, timeoutMs) : Promise.resolve(false))));
  return results.every(Boolean);
}

function parseAddress(text: string): { host: string; port: number } | null {
  const match = /^(?:[a-z_]+:\/\/)?\[?([^\]\s]+?)\]?:(\d+)$/i.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1], port: Number(match[2]) };
}

function refuses(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (refused: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(refused);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}
