/**
 * Test helper: a loopback proxy in front of moto (or any endpoint) that answers chosen AWS calls with AWS's
 * own error shapes (throttling, access denied, server errors), a given number of times or always, and
 * forwards everything else. Lets tests prove retries, 502s and 503s over real HTTP with real SDK clients.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenCall {
  /** "STS:AssumeRoleWithWebIdentity", "CognitoIdentity:GetOpenIdTokenForDeveloperIdentity", "S3:GET", "HTTP:GET /federation" ... */
  call: string;
  /** The raw form body (query protocol) or JSON body. */
  body: string;
  path: string;
}

export interface Fault {
  /** Which calls it answers. */
  matches(call: SeenCall): boolean;
  /** How many times (default: always). */
  times?: number;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FaultProxy {
  endpoint: string;
  seen: SeenCall[];
  /** How often each fault answered. */
  answered: Map<Fault, number>;
  add(fault: Fault): Fault;
  clear(): void;
  close(): Promise<void>;
}

/** An AWS query-protocol error (STS, IAM), e.g. Throttling or AccessDenied. */
export function queryError(action: string, code: string, options: { status?: number; times?: number; when?: (body: string) => boolean } = {}): Fault {
  return {
    matches: (call) => call.call.endsWith(`:${action}`) && (options.when?.(call.body) ?? true),
    ...(options.times !== undefined ? { times: options.times } : {}),
    status: options.status ?? (code === 'AccessDenied' ? 403 : 400),
    headers: { 'content-type': 'text/xml' },
    body:
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>injected by the test</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
  };
}

/** An AWS JSON-protocol error (Cognito Identity), e.g. TooManyRequestsException. */
export function jsonError(operation: string, code: string, options: { status?: number; times?: number } = {}): Fault {
  return {
    matches: (call) => call.call === `CognitoIdentity:${operation}`,
    ...(options.times !== undefined ? { times: options.times } : {}),
    status: options.status ?? 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message: 'injected by the test' }),
  };
}

/** An S3 REST error for requests on a key, e.g. a 500 InternalError or a 403 AccessDenied. */
export function s3Error(keyPart: string, code: string, status: number): Fault {
  return {
    matches: (call) => call.call.startsWith('S3:') && call.path.includes(keyPart),
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test</Message></Error>`,
  };
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const url = new URL(target);
  const faults: Fault[] = [];
  const answered = new Map<Fault, number>();
  const seen: SeenCall[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: SeenCall = { call: nameOf(incoming, body.toString()), body: body.toString(), path: incoming.url ?? '/' };
      seen.push(call);
      const fault = faults.find(
        (candidate) => candidate.matches(call) && (candidate.times === undefined || (answered.get(candidate) ?? 0) < candidate.times),
      );
      if (fault) {
        answered.set(fault, (answered.get(fault) ?? 0) + 1);
        outgoing.writeHead(fault.status, fault.headers).end(fault.body);
        return;
      }
      const forwarded = request(
        { host: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answered,
    add(fault) {
      faults.push(fault);
      return fault;
    },
    clear() {
      faults.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function nameOf(incoming: IncomingMessage, body: string): string {
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string')
    return `${target.startsWith('AWSCognitoIdentityService') ? 'CognitoIdentity' : target.split('.')[0]}:${target.split('.').pop()}`;
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1];
  if (action) return `${/Version=2011-06-15/.test(body) ? 'STS' : 'Query'}:${action}`;
  const path = incoming.url ?? '/';
  if (path.startsWith('/federation')) return `HTTP:${incoming.method ?? 'GET'} /federation`;
  return `S3:${incoming.method ?? 'GET'}`;
}
