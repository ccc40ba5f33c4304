/**
 * LOCAL STAND-IN for the AWS federation endpoint (https://signin.aws.amazon.com/federation), which
 * cannot be reached from here. It implements the two actions the broker uses:
 *   getSigninToken: checks the temporary credentials against STS (moto) and returns a sign-in token;
 *   login: shows which account, role and person the token was issued for.
 * It is only ever wired in by the local stack and the tests; production uses the real endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createStsClient, type AwsSettings } from '../aws/clients.ts';
import { serveOnLoopback, type RunningServer } from './loopback.ts';

interface IssuedSignIn {
  accountId: string;
  roleName: string;
  sessionName: string;
  sessionDurationSeconds: number;
  expiresAt: number;
}

const SIGNIN_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export async function startFederationStandIn(aws: AwsSettings, port = 0): Promise<RunningServer & { federationEndpoint: string }> {
  const issued = new Map<string, IssuedSignIn>();

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/oauth') return logout(url.searchParams, response);
    if (url.pathname !== '/federation') return send(response, 404, 'text/plain', 'not found');
    const action = url.searchParams.get('Action');
    if (action === 'getSigninToken') {
      const result = await getSigninToken(url.searchParams).catch(() => null);
      if (!result) return send(response, 400, 'text/plain', 'invalid session credentials');
      if ('error' in result) return send(response, 400, 'text/plain', result.error);
      const token = randomBytes(24).toString('base64url');
      issued.set(token, result);
      return send(response, 200, 'application/json', JSON.stringify({ SigninToken: token }));
    }
    if (action === 'login') {
      const signIn = issued.get(url.searchParams.get('SigninToken') ?? '');
      if (!signIn || signIn.expiresAt < Date.now()) return send(response, 400, 'text/plain', 'sign-in token is invalid or expired');
      return send(response, 200, 'text/html; charset=utf-8', loginPage(signIn, url.searchParams));
    }
    return send(response, 400, 'text/plain', `unknown Action ${action ?? '(none)'}`);
  }
  // node:http ignores the listener's return value; answer() turns every failure into a response, so its promise is dropped.
  const server = createServer((request, response) => void answer(request, response));

  async function getSigninToken(params: URLSearchParams): Promise<IssuedSignIn | { error: string }> {
    const duration = Number(params.get('SessionDuration') ?? 43200);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      return { error: 'SessionDuration must be between 900 and 43200 seconds' };
    }
    const session = JSON.parse(params.get('Session') ?? '{}') as Record<string, unknown>;
    const { sessionId, sessionKey, sessionToken } = session;
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
      return { error: 'Session must hold sessionId, sessionKey and sessionToken' };
    }
    const sts = createStsClient(aws, { accessKeyId: sessionId, secretAccessKey: sessionKey, sessionToken });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const match = identity.Arn?.match(/^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/);
    if (!match) return { error: 'the credentials are not a role session' };
    const [, accountId, roleName, sessionName] = match as unknown as [string, string, string, string];
    return { accountId, roleName, sessionName, sessionDurationSeconds: duration, expiresAt: Date.now() + SIGNIN_TOKEN_LIFETIME_MS };
  }

  const running = await serveOnLoopback(server, port);
  return { ...running, federationEndpoint: `${running.url}/federation` };
}

/**
 * The sign-in host's logout (`/oauth?Action=logout&redirect_uri=...`), which the extension puts in
 * front of a login so that no other console session is in the way (docs/popup.md). Like AWS, it
 * ends the console session and redirects; this stand-in redirects only to its own federation
 * endpoint.
 */
function logout(params: URLSearchParams, response: ServerResponse): void {
  if (params.get('Action') !== 'logout') return send(response, 400, 'text/plain', `unknown Action ${params.get('Action') ?? '(none)'}`);
  const target = params.get('redirect_uri') ?? '';
  let next: URL | undefined;
  try {
    next = new URL(target);
  } catch {
    next = undefined;
  }
  const host = response.req.headers.host;
  if (!next || next.host !== host || next.pathname !== '/federation')
    return send(response, 400, 'text/plain', 'redirect_uri must be this federation endpoint');
  response.writeHead(302, { location: next.href, 'cache-control': 'no-store' });
  response.end();
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(signIn: IssuedSignIn, params: URLSearchParams): string {
  const rows: [string, string, string][] = [
    ['Account', 'account', signIn.accountId],
    ['Role', 'role', signIn.roleName],
    ['Person', 'person', signIn.sessionName],
    ['Session length', 'duration', `${signIn.sessionDurationSeconds / 3600} h`],
    ['Destination', 'destination', params.get('Destination') ?? ''],
    ['Issuer', 'issuer', params.get('Issuer') ?? ''],
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS console (local stand-in): ${escapeHtml(signIn.roleName)} @ ${escapeHtml(signIn.accountId)}</title>
<style>body{font:15px system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#16191f}dt{font-weight:600;margin-top:.6rem}dd{margin:0;font-family:ui-monospace,monospace}p{color:#5f6b7a}</style></head>
<body><h1>Signed in to the AWS console</h1><p>Local stand-in for the AWS federation endpoint. In production this is the real console.</p>
<dl>${rows.map(([label, id, value]) => `<dt>${label}</dt><dd data-field="${id}">${escapeHtml(value)}</dd>`).join('')}</dl></body></html>`;
}
