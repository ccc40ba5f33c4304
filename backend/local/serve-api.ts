/** Serves the API's Hono app over Node HTTP on loopback (@hono/node-server): the local stack and the tests. */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { serveOnLoopback, type RunningServer } from './loopback.ts';

export async function serveApi(app: Hono, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return serveOnLoopback(createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server, port, host);
}
