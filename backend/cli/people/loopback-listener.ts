/**
 * The loopback end of the CLI's sign-in (RFC 8252): an HTTP listener on 127.0.0.1, on a port the system
 * picks, that takes one redirect `GET /callback?code=...&state=...` whose state is this login's. A
 * request with another state (a page or process on this machine that did not start this login) is
 * answered 400 and ignored; the login waits on. The page it answers loads nothing and sends no Referer.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`. */
  redirectUri: string;
  /** The code of the first redirect that carries `state`; rejects on an error redirect or after `timeoutMs`. */
  code(state: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const PATH = '/callback';

export async function startLoopbackListener(): Promise<LoopbackListener> {
  let deliver: ((result: { code: string } | { error: string }) => void) | undefined;
  let expected = '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== PATH) return page(response, 404, 'Not found.');
    const state = url.searchParams.get('state') ?? '';
    if (!sameText(state, expected))
      return page(response, 400, 'This sign-in was not started by the switchyard login waiting here. Nothing was done.');
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error !== null || !code) {
      page(response, 400, 'The sign-in did not complete. See your terminal.');
      deliver?.({ error: (error ?? 'no code').slice(0, 200) });
      return;
    }
    page(response, 200, 'You are signed in to Switchyard in your terminal. You can close this tab.');
    deliver?.({ code });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
  return {
    redirectUri: `http://127.0.0.1:${port}${PATH}`,
    close,
    code(state, timeoutMs) {
      expected = state;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sign-in arrived within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        deliver = (result) => {
          clearTimeout(timer);
          if ('code' in result) resolve(result.code);
          else reject(new Error(`the sign-in did not complete (${result.error})`));
        };
      });
    },
  };
}

function page(response: ServerResponse, status: number, text: string): void {
  const html = `<!doctype html><meta charset="utf-8"><title>Switchyard</title><p>${text}</p>\n`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'",
    'x-content-type-options': 'nosniff',
  });
  response.end(html);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
