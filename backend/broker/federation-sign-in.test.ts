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

const deps = (url: string, timeoutMs?: number) => ({
  federationEndpoint: url,
  partition: 'aws' as const,
  issuer: 'Switchyard',
  ...(timeoutMs ? { timeoutMs } : {}),
});

describe('federation sign-in', () => {
  it('asks for a token with an explicit session duration and builds the login URL', async () => {
    const federation = await endpoint(() => ({ status: 200, body: JSON.stringify({ SigninToken: 'signin-token' }) }));
    const signIn = makeFederationSignIn(deps(federation.url));
    const token = await signIn.signinToken(credentials, 28800);
    const url = new URL(signIn.loginUrl(token, 'https://console.aws.amazon.com/s3/home?region=eu-west-1'));
    expect(federation.seen[0]?.searchParams.get('SessionDuration')).toBe('28800');
    expect(url.searchParams.get('SigninToken')).toBe('signin-token');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/s3/home?region=eu-west-1');
    expect(url.searchParams.get('Issuer')).toBe('Switchyard');
  });

  it('never builds a login URL for a destination off the console, whoever asks', () => {
    const signIn = makeFederationSignIn(deps('http://127.0.0.1:9/federation'));
    expect(() => signIn.loginUrl('t', 'https://evil.example.com/')).toThrow(BrokerError);
    expect(() => signIn.loginUrl('t', 'https://console.amazonaws.cn/')).toThrow(/not a console page of this partition/);
  });

  it.each([
    [
      'an HTTP error with its reason',
      { status: 400, body: 'SessionDuration must be between 900 and 43200 seconds' },
      /answered HTTP 400: SessionDuration must be between 900/,
    ],
    ['an HTTP error page, without quoting it', { status: 500, body: '<html><body>oops</body></html>' }, /answered HTTP 500$/],
    ['an error body that echoes the credentials, without quoting it', { status: 400, body: `bad session-token-value` }, /answered HTTP 400$/],
    ['a body without a token', { status: 200, body: '{}' }, /returned no sign-in token/],
    ['a body that is not JSON', { status: 200, body: '<html>' }, /returned no sign-in token/],
  ])('reports %s without leaking the credentials', async (_name, reply, message) => {
    const federation = await endpoint(() => reply);
    const failure = await makeFederationSignIn(deps(federation.url))
      .signinToken(credentials, 3600)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerError);
    expect((failure as BrokerError).stage).toBe('federation');
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(credentials.secretAccessKey);
    expect((failure as Error).message).not.toContain(credentials.sessionToken);
  });

  it('reports an endpoint that does not answer, naming only the endpoint', async () => {
    const failure = await makeFederationSignIn(deps('http://127.0.0.1:9/federation', 2000))
      .signinToken(credentials, 3600)
      .catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/http:\/\/127\.0\.0\.1:9\/federation did not answer/);
    expect((failure as Error).message).not.toContain(credentials.sessionToken);
  });
});
