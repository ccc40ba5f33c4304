/** Serving a Node HTTP server on loopback, for the local stack and its stand-ins. */
import type { Server } from 'node:http';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `server` and returns its URL and a close that also drops kept-alive connections. */
export async function serveOnLoopback(server: Server, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  await listen(server, port, host);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
