/**
 * LOCAL STAND-IN for a Cognito user pool's hosted UI (https://<domain>/oauth2/...), which moto does
 * not serve. It speaks the OAuth 2.0 authorization code flow with PKCE as the hosted UI does:
 *   GET  /oauth2/authorize  checks client, redirect URI (against the app client's callback URLs in
 *                           moto), response_type=code and an S256 code challenge; shows a sign-in form;
 *   POST /login             signs the person in at moto's cognito-idp (InitiateAuth USER_PASSWORD_AUTH)
 *                           and redirects to the redirect URI with a one-time code and the state;
 *   POST /oauth2/token      redeems a code (client, redirect URI and PKCE verifier checked) or a refresh
 *                           token (moto's REFRESH_TOKEN_AUTH; refused for disabled or revoked ones);
 *   POST /oauth2/revoke     revokes a refresh token (moto has no RevokeToken; this keeps the list).
 * The tokens are moto's own: signed with the key set moto publishes, carrying cognito:groups. Only
 * tests use it; the backend talks to it exactly as it talks to a real hosted UI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AdminGetUserCommand, DescribeUserPoolClientCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { AwsSettings } from '../../backend/aws/clients.ts';
import { serveOnLoopback, type RunningServer } from '../../backend/local/loopback.ts';
import { cognitoIdpClient } from './cognito-pool.ts';

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  tokens: { id_token: string; access_token: string; refresh_token: string; expires_in: number };
  expiresAt: number;
}

export interface HostedUiStandIn extends RunningServer {
  /** What the hosted UI was asked, for tests: each /oauth2/token grant type and /oauth2/revoke call. */
  readonly calls: string[];
}

const CODE_LIFETIME_MS = 5 * 60_000;

export async function startHostedUiStandIn(aws: AwsSettings, userPoolId: string): Promise<HostedUiStandIn> {
  const cognito = cognitoIdpClient(aws);
  const codes = new Map<string, PendingCode>();
  const revoked = new Set<string>();
  const calls: string[] = [];

  async function callbackUrls(clientId: string): Promise<string[] | undefined> {
    try {
      const answer = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      return answer.UserPoolClient?.CallbackURLs ?? [];
    } catch {
      return undefined;
    }
  }

  async function authorize(url: URL, response: ServerResponse, error?: string): Promise<void> {
    const params = url.searchParams;
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    const allowed = await callbackUrls(clientId);
    if (!allowed) return send(response, 400, 'text/plain', 'invalid_request: unknown client_id');
    if (!allowed.includes(redirectUri)) return send(response, 400, 'text/plain', 'redirect_mismatch');
    if (params.get('response_type') !== 'code') return send(response, 400, 'text/plain', 'unsupported_response_type');
    if (params.get('code_challenge_method') !== 'S256' || !/^[\w-]{43}$/.test(params.get('code_challenge') ?? '')) {
      return send(response, 400, 'text/plain', 'invalid_request: an S256 code_challenge is required');
    }
    const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'scope']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
      .join('');
    send(
      response,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (hosted UI stand-in)</title></head><body>
<h1>Sign in</h1><p>Local stand-in for the Cognito hosted UI.</p>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">${hidden}
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`,
    );
  }

  async function login(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const clientId = form.get('client_id') ?? '';
    const redirectUri = form.get('redirect_uri') ?? '';
    if (!(await callbackUrls(clientId))?.includes(redirectUri)) return send(response, 400, 'text/plain', 'redirect_mismatch');
    let result;
    try {
      result = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: form.get('username') ?? '', PASSWORD: form.get('password') ?? '' },
        }),
      );
    } catch {
      const again = new URL('http://stand-in/oauth2/authorize');
      for (const name of ['client_id', 'redirect_uri', 'state', 'code_challenge', 'scope']) again.searchParams.set(name, form.get(name) ?? '');
      again.searchParams.set('response_type', 'code');
      again.searchParams.set('code_challenge_method', 'S256');
      return authorize(again, response, 'Incorrect username or password.');
    }
    const tokens = result.AuthenticationResult;
    if (!tokens?.IdToken || !tokens.AccessToken || !tokens.RefreshToken) return send(response, 500, 'text/plain', 'moto issued no tokens');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId,
      redirectUri,
      challenge: form.get('code_challenge') ?? '',
      tokens: {
        id_token: tokens.IdToken,
        access_token: tokens.AccessToken,
        refresh_token: tokens.RefreshToken,
        expires_in: tokens.ExpiresIn ?? 3600,
      },
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = form.get('state');
    if (state) target.searchParams.set('state', state);
    response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
    response.end();
  }

  async function token(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const grant = form.get('grant_type');
    calls.push(`token:${grant ?? ''}`);
    const invalid = (error: string) => send(response, 400, 'application/json', JSON.stringify({ error }));
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code || code.expiresAt < Date.now()) return invalid('invalid_grant');
      if (form.get('client_id') !== code.clientId) return invalid('invalid_client');
      if (form.get('redirect_uri') !== code.redirectUri) return invalid('invalid_grant');
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return invalid('invalid_grant');
      return send(response, 200, 'application/json', JSON.stringify({ ...code.tokens, token_type: 'Bearer' }));
    }
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (revoked.has(refreshToken)) return invalid('invalid_grant');
      try {
        const result = await cognito.send(
          new InitiateAuthCommand({
            ClientId: form.get('client_id') ?? '',
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        );
        const idToken = result.AuthenticationResult?.IdToken;
        if (!idToken) return invalid('invalid_grant');
        // Cognito refuses to refresh a disabled user's tokens; moto does not check, so the stand-in does.
        const username = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'))['cognito:username'] as string;
        const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
        if (user.Enabled === false) return invalid('invalid_grant');
        return send(
          response,
          200,
          'application/json',
          JSON.stringify({
            id_token: idToken,
            access_token: result.AuthenticationResult?.AccessToken,
            expires_in: result.AuthenticationResult?.ExpiresIn,
            token_type: 'Bearer',
          }),
        );
      } catch {
        return invalid('invalid_grant');
      }
    }
    return invalid('unsupported_grant_type');
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    try {
      if (request.method === 'GET' && url.pathname === '/oauth2/authorize') return await authorize(url, response);
      if (request.method !== 'POST') return send(response, 404, 'text/plain', 'not found');
      const form = new URLSearchParams(await bodyOf(request));
      if (url.pathname === '/login') return await login(form, response);
      if (url.pathname === '/oauth2/token') return await token(form, response);
      if (url.pathname === '/oauth2/revoke') {
        calls.push('revoke');
        revoked.add(form.get('token') ?? '');
        return send(response, 200, 'application/json', '{}');
      }
      send(response, 404, 'text/plain', 'not found');
    } catch (error) {
      send(response, 500, 'text/plain', `stand-in failure: ${(error as Error).name}`);
    }
  }

  const server = createServer((request, response) => void answer(request, response));
  const running = await serveOnLoopback(server, 0);
  return { ...running, calls };
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
