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
 *
 * It also plays the console's two session modes, per browser (a cookie on the sign-in host lists the
 * browser's sessions), as docs/console-access.md describes them:
 *   single-session (the default): one session per browser; a login while another account or role is
 *     signed in shows "sign out first" instead; the logout (`/oauth?Action=logout`) ends it and redirects.
 *   multi-session: a login adds a session (up to five) and redirects to its own host,
 *     `<account>-<session>.<region>.console.localhost:<port>` (shared/console/session-hosts.ts), which
 *     shows the session; the logout answers 400, as other tools report of the real one in this mode.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isConsoleUrl } from '../../shared/console/destination.ts';
import { partitionOfRegion } from '../../shared/console/partitions.ts';
import { consoleSessionOf, localSessionOrigin, MAX_CONSOLE_SESSIONS } from '../../shared/console/session-hosts.ts';
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

export type ConsoleSessionMode = 'single-session' | 'multi-session';

export interface FederationStandInOptions {
  port?: number;
  /** The clock tokens expire by (tests move it). */
  now?: () => number;
  /** The console's session mode the stand-in plays; default single-session. */
  consoleMode?: ConsoleSessionMode;
}

export interface FederationStandIn extends RunningServer {
  federationEndpoint: string;
  /** Switches the console mode it plays, every browser's sessions forgotten (a fresh start for a test). */
  setConsoleMode(mode: ConsoleSessionMode): void;
}

/** A console session the stand-in signed a browser in to. */
interface ConsoleSession extends IssuedSignIn {
  id: string;
  region: string;
  destination: string;
  issuer: string;
}

/** The cookie on the sign-in host listing the browser's console sessions (their ids, dot-separated). */
const SESSIONS_COOKIE = 'standin-console-sessions';
const SESSION_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

class Refusal extends Error {}

export async function startFederationStandIn(aws: AwsSettings, options: FederationStandInOptions = {}): Promise<FederationStandIn> {
  const now = options.now ?? Date.now;
  const partition = partitionOfRegion(aws.region) ?? 'aws';
  const issued = new Map<string, IssuedSignIn>();
  const consoleSessions = new Map<string, ConsoleSession>();
  let consoleMode: ConsoleSessionMode = options.consoleMode ?? 'single-session';
  let port = 0;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const session = consoleSessionOf(`http://${request.headers.host ?? ''}${url.pathname}`);
    if (session) return sessionPage(consoleSessions.get(session.sessionId), session.accountId, url, response);
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
      if (action === 'login') return signInBrowser(login(url.searchParams), url.searchParams, request, response);
      throw new Refusal(`unknown Action ${action ?? '(none)'}`);
    } catch (error) {
      return send(response, 400, 'text/plain', error instanceof Refusal ? error.message : 'the request could not be served');
    }
  }

  /** The browser's console sessions, from its cookie (those the stand-in still knows). */
  function browserSessions(request: IncomingMessage): ConsoleSession[] {
    const cookie = request.headers.cookie?.split(/;\s*/).find((part) => part.startsWith(`${SESSIONS_COOKIE}=`));
    const ids = cookie?.slice(SESSIONS_COOKIE.length + 1).split('.') ?? [];
    return ids.map((id) => consoleSessions.get(id)).filter((found): found is ConsoleSession => found !== undefined);
  }

  function sessionsCookie(sessions: ConsoleSession[]): string {
    return `${SESSIONS_COOKIE}=${sessions.map((session) => session.id).join('.')}; Path=/; HttpOnly; SameSite=Lax`;
  }

  /** What the console does with a valid login, in the mode it is in. */
  function signInBrowser(signIn: IssuedSignIn, params: URLSearchParams, request: IncomingMessage, response: ServerResponse): void {
    const open = browserSessions(request);
    const same = open.find((session) => session.accountId === signIn.accountId && session.roleName === signIn.roleName);
    const destination = params.get('Destination') ?? '';
    const session: ConsoleSession = same ?? {
      ...signIn,
      id: newSessionId(),
      region: regionOf(destination) ?? aws.region,
      destination,
      issuer: params.get('Issuer') ?? '',
    };
    if (consoleMode === 'single-session') {
      if (open.length > 0 && !same) return send(response, 200, 'text/html; charset=utf-8', signOutFirstPage(open[0] as ConsoleSession));
      consoleSessions.set(session.id, { ...session, destination, issuer: params.get('Issuer') ?? '' });
      response.setHeader('set-cookie', sessionsCookie([session]));
      return send(response, 200, 'text/html; charset=utf-8', loginPage(signIn, params));
    }
    if (!same && open.length >= MAX_CONSOLE_SESSIONS) {
      return send(
        response,
        400,
        'text/html; charset=utf-8',
        refusalPage(`This browser already holds ${MAX_CONSOLE_SESSIONS} console sessions: sign out of one first.`),
      );
    }
    consoleSessions.set(session.id, session);
    response.setHeader('set-cookie', sessionsCookie(same ? open : [...open, session]));
    const target = new URL(localSessionOrigin(session.accountId, session.id, session.region, port));
    try {
      const page = new URL(destination);
      [target.pathname, target.search, target.hash] = [page.pathname, page.search, page.hash];
    } catch {
      target.pathname = '/console/home';
    }
    response.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    response.end();
  }

  function newSessionId(): string {
    for (;;) {
      const id = [...randomBytes(8)].map((byte) => SESSION_ID_ALPHABET[byte % SESSION_ID_ALPHABET.length]).join('');
      if (!consoleSessions.has(id)) return id;
    }
  }

  /**
   * The sign-in host's logout (`/oauth?Action=logout&redirect_uri=...`), which the extension puts in
   * front of a login in single-session mode so that no other console session is in the way
   * (docs/popup.md). Like AWS, it ends the browser's console session and redirects; this stand-in
   * redirects only to its own federation endpoint. In multi-session mode it answers 400.
   */
  function logout(params: URLSearchParams, response: ServerResponse): void {
    if (params.get('Action') !== 'logout') return send(response, 400, 'text/plain', `unknown Action ${params.get('Action') ?? '(none)'}`);
    if (consoleMode === 'multi-session')
      return send(response, 400, 'text/html; charset=utf-8', refusalPage('Sign-out is not available this way in multi-session mode.'));
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
    response.writeHead(302, { location: next.href, 'cache-control': 'no-store', 'set-cookie': sessionsCookie([]) });
    response.end();
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
  port = running.port;
  return {
    ...running,
    federationEndpoint: `${running.url}/federation`,
    setConsoleMode(mode) {
      consoleMode = mode;
      consoleSessions.clear();
    },
  };
}

/** The console region a Destination names: its regional host, or its region= parameter. */
function regionOf(destination: string): string | undefined {
  try {
    const url = new URL(destination);
    return url.hostname.match(/^([a-z]{2}(?:-gov)?-[a-z]+-\d+)\.console\./)?.[1] ?? url.searchParams.get('region') ?? undefined;
  } catch {
    return undefined;
  }
}

/** A page of a multi-session console: which session this host is. */
function sessionPage(session: ConsoleSession | undefined, accountId: string, url: URL, response: ServerResponse): void {
  if (!session || session.accountId !== accountId) return send(response, 404, 'text/html; charset=utf-8', refusalPage('No such console session.'));
  const params = new URLSearchParams({ Destination: session.destination, Issuer: session.issuer });
  send(response, 200, 'text/html; charset=utf-8', loginPage(session, params, `${url.pathname}${url.search}`));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refusalPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS console (local stand-in): refused</title></head>
<body><h1>Refused</h1><p data-field="refusal">${escapeHtml(message)}</p></body></html>`;
}

/** What the console shows when a login finds another identity signed in (single-session mode). */
function signOutFirstPage(signedIn: ConsoleSession): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS console (local stand-in): sign out first</title></head>
<body><h1>You must sign out first</h1><p data-field="sign-out-first">This browser is signed in to ${escapeHtml(signedIn.roleName)} in account ${escapeHtml(signedIn.accountId)}.</p></body></html>`;
}

function loginPage(signIn: IssuedSignIn, params: URLSearchParams, sessionPath?: string): string {
  const length = signIn.sessionDurationSeconds === undefined ? 'as long as the credentials' : `${signIn.sessionDurationSeconds / 3600} h`;
  const rows: [string, string, string][] = [
    ['Account', 'account', signIn.accountId],
    ['Role', 'role', signIn.roleName],
    ['Person', 'person', signIn.sessionName],
    ['Session length', 'duration', length],
    ['Destination', 'destination', params.get('Destination') ?? ''],
    ['Issuer', 'issuer', params.get('Issuer') ?? ''],
    ...(sessionPath !== undefined ? ([['Page', 'page', sessionPath]] as [string, string, string][]) : []),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AWS console (local stand-in): ${escapeHtml(signIn.roleName)} @ ${escapeHtml(signIn.accountId)}</title>
<style>body{font:15px system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#16191f}dt{font-weight:600;margin-top:.6rem}dd{margin:0;font-family:ui-monospace,monospace}p{color:#5f6b7a}</style></head>
<body><h1>Signed in to the AWS console</h1><p>Local stand-in for the AWS federation endpoint. In production this is the real console.</p>
<dl>${rows.map(([label, id, value]) => `<dt>${label}</dt><dd data-field="${id}">${escapeHtml(value)}</dd>`).join('')}</dl></body></html>`;
}
