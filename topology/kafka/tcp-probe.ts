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
  const results = await Promise.all(addresses.map((a) => (a ? probeTcp(a.host, a.port, timeoutMs) : Promise.resolve('unknown'))));
  return results.every((r) => r === 'refused');
}

function parseAddress(text: string): { host: string; port: number } | null {
  const match = /^(?:[a-z_]+:\/\/)?\[?([^\]\s]+?)\]?:(\d+)$/i.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1], port: Number(match[2]) };
}

/** What a plain TCP connect to host:port finds within timeoutMs. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<'open' | 'refused' | 'unknown'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (found: 'open' | 'refused' | 'unknown'): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(found);
    };
    socket.setTimeout(timeoutMs, () => done('unknown'));
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
  });
}
