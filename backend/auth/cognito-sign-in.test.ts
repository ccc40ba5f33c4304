import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type KeyObject } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoRefused, makeCognitoSignIn, type CognitoConfig } from './cognito-sign-in.ts';
import { DirectoryUnavailable } from './directory.ts';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test';
const CLIENT = 'client1';
const request = { code: 'c0de', codeVerifier: 'v'.repeat(43), redirectUri: 'https://x.chromiumapp.org/', clientId: CLIENT };

let server: Server;
let base: string;
let poolKey: KeyObject;
let otherKey: KeyObject;
let publicJwk: JWK;
/** What the token endpoint answers next. */
let tokenAnswer: { status: number; body: unknown } = { status: 200, body: {} };
let received: URLSearchParams | undefined;

beforeAll(async () => {
  ({ privateKey: poolKey, publicKey: publicJwk } = await (async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    return { privateKey: pair.privateKey as KeyObject, publicKey: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' } };
  })());
  otherKey = (await generateKeyPair('RS256')).privateKey as KeyObject;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ keys: [publicJwk] }));
      }
      received = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(tokenAnswer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(tokenAnswer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function signIn(overrides: Partial<CognitoConfig> = {}) {
  return makeCognitoSignIn({
    userPoolId: 'eu-west-1_Test',
    clientIds: [CLIENT],
    domain: base,
    scopes: ['openid'],
    issuer: ISSUER,
    jwksUrl: `${base}/jwks.json`,
    timeoutMs: 1000,
    ...overrides,
  });
}

async function idToken(
  claims: Record<string, unknown> = {},
  options: { key?: KeyObject; expiresIn?: string; issuer?: string; audience?: string } = {},
) {
  return new SignJWT({ token_use: 'id', 'cognito:groups': ['Developers'], email: 'alice@corp.example.com', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('6f1c2a9e-0000-4000-8000-000000000001')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? poolKey);
}

describe('Cognito sign-in', () => {
  it('redeems the code with the PKCE verifier and reads the person from a verified ID token', async () => {
    tokenAnswer = { status: 200, body: { id_token: await idToken(), refresh_token: 'pool-refresh', access_token: 'a', token_type: 'Bearer' } };
    const signedIn = await signIn().redeem(request);
    expect(signedIn).toEqual({
      user: { id: '6f1c2a9e-0000-4000-8000-000000000001', displayName: 'alice@corp.example.com', groups: ['Developers'] },
      upstreamRefreshToken: 'pool-refresh',
    });
    expect(Object.fromEntries(received ?? [])).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT,
      code: 'c0de',
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
    });
  });

  it('refuses ID tokens of another issuer, another client, the wrong use, expired or signed with another key', async () => {
    const cases = [
      await idToken({}, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
      await idToken({}, { audience: 'other-client' }),
      await idToken({ token_use: 'access' }),
      await idToken({}, { expiresIn: '-1m' }),
      await idToken({}, { key: otherKey }),
      await idToken({ 'cognito:groups': 'Developers' }),
      'not.a.jwt',
    ];
    for (const token of cases) {
      tokenAnswer = { status: 200, body: { id_token: token } };
      await expect(signIn().redeem(request)).rejects.toBeInstanceOf(CognitoRefused);
    }
  });

  it('treats the pool refusing the grant as a refusal, and the pool failing as unavailable, without quoting its answer', async () => {
    tokenAnswer = { status: 400, body: { error: 'invalid_grant', error_description: 'secret-ish detail' } };
    await expect(signIn().redeem(request)).rejects.toThrow(/\(invalid_grant\)$/);
    tokenAnswer = { status: 502, body: {} };
    await expect(signIn().redeem(request)).rejects.toBeInstanceOf(DirectoryUnavailable);
    await expect(signIn({ domain: 'http://127.0.0.1:1' }).redeem(request)).rejects.toBeInstanceOf(DirectoryUnavailable);
    tokenAnswer = { status: 200, body: { id_token: await idToken() } };
    await expect(signIn({ jwksUrl: 'http://127.0.0.1:1/jwks.json' }).redeem(request)).rejects.toBeInstanceOf(DirectoryUnavailable);
  });

  it('refreshes with the pool refresh token, and revokes it', async () => {
    tokenAnswer = { status: 200, body: { id_token: await idToken({ 'cognito:groups': [] }) } };
    expect(await signIn().refresh('pool-refresh', CLIENT)).toEqual({
      user: { id: '6f1c2a9e-0000-4000-8000-000000000001', displayName: 'alice@corp.example.com', groups: [] },
    });
    expect(received?.get('grant_type')).toBe('refresh_token');
    expect(received?.get('refresh_token')).toBe('pool-refresh');
    tokenAnswer = { status: 200, body: {} };
    await signIn().revoke('pool-refresh', CLIENT);
    expect(Object.fromEntries(received ?? [])).toEqual({ token: 'pool-refresh', client_id: CLIENT });
  });
});
