/**
 * Serves a Lambda HTTP API handler over plain Node HTTP on loopback, translating requests into API
 * Gateway payload-2.0 events, so `npm start` and the tests run the Lambda's own code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/contract.ts';
import type { HttpResult } from '../http/responses.ts';
import { apiError } from '../http/responses.ts';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

export async function serveLambda(handler: LambdaHttpHandler, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let result: HttpResult;
    try {
      result = await handler(await toEvent(request));
    } catch (error) {
      result =
        error instanceof BodyTooLarge
          ? apiError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`)
          : apiError(500, 'internal', 'the local adapter failed');
      response.setHeader('connection', 'close');
    }
    response.writeHead(result.statusCode, result.headers);
    response.end(result.body ?? '');
  }
  // node:http ignores the listener's return value; answer() turns every failure into a response, so its promise is dropped.
  const server = createServer((request, response) => void answer(request, response));
  return serveOnLoopback(server, port, host);
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

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function toEvent(request: IncomingMessage): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(request);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    body: body === '' ? undefined : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}
