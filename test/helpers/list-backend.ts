/**
 * Test helper: the Switchyard API as the extension sees it, reduced to sign-in and the list, on a
 * free loopback port, with CORS as the real API answers extension origins. For the popup's scale
 * e2e tests and benchmark, which need thousands of entries rather than the demo organization.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { Person } from '../../shared/api/person.ts';

export interface ListBackend {
  url: string;
  /** The list the next /session and /entitlements answer with. */
  serve(entitlements: Entitlement[]): void;
  /** How many times the list was fetched. */
  readonly fetches: number;
  close(): Promise<void>;
}

export async function startListBackend(user: Person, sessionMs = 8 * 3_600_000, port = 0): Promise<ListBackend> {
  let entitlements: Entitlement[] = [];
  let fetches = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const headers = {
        'access-control-allow-origin': request.headers.origin ?? '*',
        'access-control-allow-headers': 'authorization, content-type',
        'content-type': 'application/json',
      };
      let body: unknown;
      if (request.method === 'POST' && request.url === '/session') {
        body = { token: 'list-backend-token', expiresAt: new Date(Date.now() + sessionMs).toISOString(), source: 'directory', user, entitlements };
      } else if (request.method === 'GET' && request.url === '/auth/config') {
        body = { methods: ['directory'] };
      } else if (request.method === 'POST' && request.url === '/session/sign-out') {
        body = { ok: true };
      } else if (request.method === 'GET' && request.url === '/entitlements') {
        fetches++;
        body = { user, entitlements };
      }
      response.writeHead(request.method === 'OPTIONS' ? 204 : body ? 200 : 404, headers);
      response.end(body ? JSON.stringify(body) : undefined);
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ready);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(list) {
      entitlements = list;
    },
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
