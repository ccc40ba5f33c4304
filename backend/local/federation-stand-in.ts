/**
 * LOCAL STAND-IN for the AWS federation endpoint (https://signin.aws.amazon.com/federation and its
 * GovCloud and China twins), which cannot be reached from here. It is only ever wired in by the local stack
 * and the tests; production uses the real endpoint. It implements the two actions the broker uses and
 * refuses what AWS documents that it refuses:
 *   getSigninToken: Session must be JSON with the string fields sessionId, sessionKey and sessionToken of
 *     temporary credentials STS (moto) knows, of a role session or a federated user; SessionDuration, when
 *     given, a whole number of seconds from 900 to 43200, and not with GetFederationToken credentials.
 *     Returns a sign-in token valid for 15 minutes.
 *   login: a valid, unexpired sign-in token, and a Destination on a console page of the partition. Shows
 *     which account, role and person the token was issued for.
 * What it cannot check: whether credentials came from role chaining (AWS refuses SessionDuration then);
 * moto does not record who called AssumeRole. `switchyard doctor` checks the real endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isConsoleUrl } from '../../shared/console/destination.ts';
import { partitionOfRegion } from '../../shared/console/partitions.ts';
import { MAX_SESSION_SECONDS, MIN_REQUESTED_SESSION_SECONDS } from '../../shared/iam/limits.ts';
import { createStsClient, type AwsSettings } from '../aws/clients.ts';
import { serveOnLoopback, type RunningServer } from './loopback.ts';

interface IssuedSignIn {
  accountId: string;
  /** The role, or "federated user <name>". */
  roleName: string;
  sessionName: string;
  /** Undefined: as long as the credentials (no SessionDuration was given). */
  sessionDurationSeconds?: number;
  expiresAt: number;
}

/** A sign-in token is valid for 15 minutes (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html). */
const SIGNIN_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export interface FederationStandInOptions {
  port?: number;
  /** The clock tokens expire by (tests move it). */
  now?: () => number;
}

class Refusal extends Error {}

export async function startFederationStandIn(
  aws: AwsSettings,
  options: FederationStandInOptions = {},
): Promise<RunningServer & { federationEndpoint: string }> {
  const now = options.now ?? Date.now;
  const partition = partitionOfRegion(aws.region) ?? 'aws';
  const issued = new Map<string, IssuedSignIn>();

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/oauth') return logout(url.searchParams, response);
    if (url.pathname !== '/federation') return send(response, 404, 'text/plain', 'not found');
    const action = url.searchParams.get('Action');
    try {
      if (action === 'getSigninToken') {
        const signIn = await getSigninToken(url.searchParams);
        const token = randomBytes(24).toString('base64url');
        issued.set(token, signIn);
        return send(response, 200, 'application/json', JSON.stringify({ SigninToken: token }));
      }
      if (action === 'login') return send(response, 200, 'text/html; charset=utf-8', loginPage(login(url.searchParams), url.searchParams));
      throw new Refusal(`unknown Action ${action ?? '(none)'}`);
    } catch (error) {
      return send(response, 400, 'text/plain', error instanceof Refusal ? error.message : 'the request could not be served');
    }
  }
  // node:http ignores the listener's return value; answer() turns every failure into a response, so its promise is dropped.
  const server = createServer((request, response) => void answer(request, response));

  async function getSigninToken(params: URLSearchParams): Promise<IssuedSignIn> {
    const rawDuration = params.get('SessionDuration');
    let duration: number | undefined;
    if (rawDuration !== null) {
      duration = /^\d+$/.test(rawDuration) ? Number(rawDuration) : NaN;
      if (!Number.isInteger(duration) || duration < MIN_REQUESTED_SESSION_SECONDS || duration > MAX_SESSION_SECONDS) {
        throw new Refusal(`SessionDuration must be a whole number of seconds from ${MIN_REQUESTED_SESSION_SECONDS} to ${MAX_SESSION_SECONDS}`);
      }
    }
    const rawSession = params.get('Session');
    if (rawSession === null) throw new Refusal('Session is required');
    let session: unknown;
    try {
      session = JSON.parse(rawSession);
    } catch {
      throw new Refusal('Session must be a JSON object');
    }
    const { sessionId, sessionKey, sessionToken } = (typeof session === 'object' && session !== null ? session : {}) as Record<string, unknown>;
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
      throw new Refusal('Session must hold sessionId, sessionKey and sessionToken (temporary credentials)');
    }
    const sts = createStsClient(aws, { accessKeyId: sessionId, secretAccessKey: sessionKey, sessionToken });
    const identity = await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    const role = identity?.Arn?.match(/^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/);
    const federated = identity?.Arn?.match(/^arn:[\w-]+:sts::(\d{12}):federated-user\/(.+)$/);
    if (federated) {
      if (duration !== undefined) throw new Refusal('SessionDuration cannot be used with GetFederationToken credentials');
      const [, accountId, name] = federated as unknown as [string, string, string];
      return { accountId, roleName: `federated user ${name}`, sessionName: name, expiresAt: now() + SIGNIN_TOKEN_LIFETIME_MS };
    }
    if (!role) throw new Refusal('the Session is not temporary credentials of a role or federated user');
    const [, accountId, roleName, sessionName] = role as unknown as [string, string, string, string];
    return {
      accountId,
      roleName,
      sessionName,
      ...(duration !== undefined ? { sessionDurationSeconds: duration } : {}),
      expiresAt: now() + SIGNIN_TOKEN_LIFETIME_MS,
    };
  }

  function login(params: URLSearchParams): IssuedSignIn {
    const signIn = issued.get(params.get('SigninToken') ?? '');
    if (!signIn || signIn.expiresAt < now()) throw new Refusal('the sign-in token is invalid or expired');
    const destination = params.get('Destination');
    if (destination !== null && !isConsoleUrl(destination, partition)) throw new Refusal(`Destination must be a console page of ${partition}`);
    return signIn;
  }

  const running = await serveOnLoopback(server, options.port ?? 0);
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
  const length = signIn.sessionDurationSeconds === undefined ? 'as long as the credentials' : `${signIn.sessionDurationSeconds / 3600} h`;
  const rows: [string, string, string][] = [
    ['Account', 'account', signIn.accountId],
    ['Role', 'role', signIn.roleName],
    ['Person', 'person', signIn.sessionName],
    ['Session length', 'duration', length],
    ['Destination', 'destination', params.get('Destination') ?? ''],
    ['Issuer', 'issuer', params.get('Issuer') ?? ''],
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS console (local stand-in): ${escapeHtml(signIn.roleName)} @ ${escapeHtml(signIn.accountId)}</title>
<style>body{font:15px system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#16191f}dt{font-weight:600;margin-top:.6rem}dd{margin:0;font-family:ui-monospace,monospace}p{color:#5f6b7a}</style></head>
<body><h1>Signed in to the AWS console</h1><p>Local stand-in for the AWS federation endpoint. In production this is the real console.</p>
<dl>${rows.map(([label, id, value]) => `<dt>${label}</dt><dd data-field="${id}">${escapeHtml(value)}</dd>`).join('')}</dl></body></html>`;
}
