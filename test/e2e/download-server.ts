/**
 * The company's download site, on loopback: serves the files `npm run package:extension` wrote (CRX, XPI,
 * update manifests) with the content types browsers expect, and records what was fetched.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.crx': 'application/x-chrome-extension',
  '.xpi': 'application/x-xpinstall',
  '.xml': 'text/xml',
  '.json': 'application/json',
};

export interface DownloadServer {
  /** http://127.0.0.1:<port>/extension/ */
  url: string;
  /** Paths fetched, without query strings, in order. */
  fetched: string[];
  close(): Promise<void>;
}

/** Serves `folder()` (decided after start, once the URL is known) under /extension/. */
export async function startDownloadServer(folder: () => string): Promise<DownloadServer> {
  const fetched: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    fetched.push(path);
    const name = path.startsWith('/extension/') ? path.slice('/extension/'.length) : '';
    if (!/^[\w.-]+$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(folder(), name)).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/extension/`,
    fetched,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
