/**
 * Test helper: a real HTTP server on a free loopback port that answers each route with a scripted status and
 * body, and records the requests it got. Used by the background's unit tests; never bundled.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
  /** Raw text instead of JSON, to test unparseable answers. */
  raw?: string;
}

export interface ScriptedServer {
  url: string;
  requests: Recorded[];
  /** Sets the answer for `METHOD /path`; a function sees the request. */
  answer(route: string, answer: Answer | ((request: Recorded) => Answer)): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const routes = new Map<string, Answer | ((request: Recorded) => Answer)>();
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(recorded);
      const script = routes.get(`${recorded.method} ${recorded.path}`);
      const answer =
        typeof script === 'function'
          ? script(recorded)
          : (script ?? { status: 404, body: { error: { code: 'not_found', message: 'no such route' } } });
      res.writeHead(answer.status, { 'content-type': answer.raw === undefined ? 'application/json' : 'text/plain' });
      res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (route, answer) => routes.set(route, answer),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}
