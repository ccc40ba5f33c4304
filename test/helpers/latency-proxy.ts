/**
 * Bench helper: forwards every request to `target` after `delayMs`, so a benchmark against moto or the
 * federation stand-in sees the latency of a real AWS call instead of a loopback's.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startLatencyProxy(
  target: string,
  delayMs: number,
): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  const url = new URL(target);
  let count = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      count++;
      setTimeout(() => {
        const forwarded = request(
          { host: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        forwarded.on('error', () => outgoing.writeHead(502).end());
        forwarded.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
