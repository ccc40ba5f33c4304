import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerError } from './console-broker.ts';
import { makeFederationSignIn } from './federation-sign-in.ts';

const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret-key-value', sessionToken: 'session-token-value' };
let server: Server | undefined;

async function endpoint(reply: (url: URL) => { status: number; body: string }): Promise<{ url: string; seen: URL[] }> {
  const seen: URL[] = [];
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    seen.push(url);
    const { status, body } = reply(url);
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/federation`, seen };
}

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('federation sign-in', () => {
  it('asks for a token with an explicit session duration and builds the login URL', async () => {
    const federation = await endpoint(() => ({ status: 200, body: JSON.stringify({ SigninToken: 'signin-token' }) }));
    const loginUrl = makeFederationSignIn({ federationEndpoint: federation.url, issuer: 'Switchyard' });
    const url = new URL(await loginUrl(credentials, { sessionDurationSeconds: 28800, region: 'eu-west-1', destination: '/s3/home' }));
    expect(federation.seen[0]?.searchParams.get('SessionDuration')).toBe('28800');
    expect(url.searchParams.get('SigninToken')).toBe('signin-token');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/s3/home?region=eu-west-1');
    expect(url.searchParams.get('Issuer')).toBe('Switchyard');
  });

  it.each([
    ['an HTTP error', { status: 400, body: 'bad' }, /answered HTTP 400/],
    ['a body without a token', { status: 200, body: '{}' }, /returned no sign-in token/],
    ['a body that is not JSON', { status: 200, body: '<html>' }, /returned no sign-in token/],
  ])('reports %s without leaking the credentials', async (_name, reply, message) => {
    const federation = await endpoint(() => reply);
    const loginUrl = makeFederationSignIn({ federationEndpoint: federation.url, issuer: 'Switchyard' });
    const failure = await loginUrl(credentials, { sessionDurationSeconds: 3600, region: 'us-east-1' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(credentials.secretAccessKey);
    expect((failure as Error).message).not.toContain(credentials.sessionToken);
  });

  it('reports an endpoint that does not answer, naming only the endpoint', async () => {
    const loginUrl = makeFederationSignIn({ federationEndpoint: 'http://127.0.0.1:9/federation', issuer: 'Switchyard', timeoutMs: 2000 });
    const failure = await loginUrl(credentials, { sessionDurationSeconds: 3600, region: 'us-east-1' }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/http:\/\/127\.0\.0\.1:9\/federation did not answer/);
    expect((failure as Error).message).not.toContain(credentials.sessionToken);
  });
});
