/**
 * The HTTP API as one Hono app. The Lambda entry (hono/aws-lambda) and the local server
 * (@hono/node-server) both serve exactly this app.
 */
import { Hono, type Context, type Handler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiErrorCode } from '../../shared/api/errors.ts';
import { API_ROUTES, MAX_REQUEST_BODY_BYTES, type ApiRoute } from '../../shared/api/routes.ts';
import { errorText } from '../../shared/error-text.ts';
import { PolicyUnavailable } from '../api-policy/policy-source.ts';
import { answerSizeLimit } from './answer-size-limit.ts';
import { extensionCors } from './cors.ts';
import type { ApiDeps } from './deps.ts';
import { errorBody, httpErrorOf, type HttpError } from './errors.ts';
import { authConfig } from './routes/auth-config.ts';
import { listEntitlements } from './routes/entitlements.ts';
import { federate } from './routes/federate.ts';
import { createCognitoSession } from './routes/session-cognito.ts';
import { refreshSession } from './routes/session-refresh.ts';
import { signOut } from './routes/session-sign-out.ts';
import { createSession } from './routes/session.ts';
import { serveWebPage } from './web-page.ts';
import { extendGrant } from './routes/grant-extend.ts';
import { approveRequest } from './routes/request-approve.ts';
import { cancelRequest } from './routes/request-cancel.ts';
import { createRequest } from './routes/request-create.ts';
import { denyRequest } from './routes/request-deny.ts';
import { getRequest } from './routes/request-get.ts';
import { revokeRequest } from './routes/request-revoke.ts';
import { listMyRequests } from './routes/requests-mine.ts';
import { listRequestsToApprove } from './routes/requests-to-approve.ts';
import { issueCredentials } from './routes/credentials.ts';
import { authorizeCli } from './routes/cli-authorize.ts';
import { createCliSession } from './routes/session-cli.ts';

type RouteName = keyof typeof API_ROUTES;

/** The handlers of every route of the contract (shared/api/routes.ts): a route without them does not compile. */
function handlersOf(deps: ApiDeps): Record<RouteName, [Handler, ...Handler[]]> {
  return {
    authConfig: authConfig(deps),
    session: createSession(deps),
    sessionCognito: createCognitoSession(deps),
    sessionRefresh: refreshSession(deps),
    sessionSignOut: signOut(deps),
    entitlements: listEntitlements(deps),
    federate: federate(deps),
    health: [(c) => c.json({ ok: true })],
    requestCreate: createRequest(deps),
    requestsMine: listMyRequests(deps),
    requestsToApprove: listRequestsToApprove(deps),
    requestGet: getRequest(deps),
    requestApprove: approveRequest(deps),
    requestDeny: denyRequest(deps),
    requestCancel: cancelRequest(deps),
    requestRevoke: revokeRequest(deps),
    grantExtend: extendGrant(deps),
    credentials: issueCredentials(deps),
    cliAuthorize: authorizeCli(deps),
    sessionCli: createCliSession(deps),
  };
}

export function makeApiApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.use(async (c, next) => {
    const started = Date.now();
    await next();
    // The API's answers are never cached; the web page's files say how long they may be.
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
    deps.logger.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
  });
  // Answers are compressed when the client accepts it (browsers always do); a JSON answer too large for
  // Lambda goes out only that way (answer-size-limit.ts).
  app.use(answerSizeLimit());
  app.use(compress());
  app.use(secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false, originAgentCluster: false, xFrameOptions: 'DENY' }));
  app.use(extensionCors(deps.allowedOrigins));
  app.use(
    bodyLimit({
      maxSize: MAX_REQUEST_BODY_BYTES,
      onError: (c) => fail(c, 413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`),
    }),
  );

  const methodsByPath = new Map<string, string[]>();
  for (const [name, handlers] of Object.entries(handlersOf(deps))) {
    const route: ApiRoute = API_ROUTES[name as RouteName];
    app.on(route.method, route.path, ...handlers);
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, (c) => fail(c, 405, 'method_not_allowed', `${path} accepts ${methods.join(', ')}`));
  }

  if (deps.webPage) serveWebPage(app, deps.webPage);

  app.notFound((c) => fail(c, 404, 'not_found', `no route ${c.req.path}`));
  app.onError((error, c) => {
    const answer = httpErrorOf(error);
    if (error instanceof PolicyUnavailable) {
      deps.logger.warn('policy unavailable', { path: c.req.path, reason: error.cause === undefined ? error.message : errorText(error.cause) });
    }
    if (answer) return fail(c, answer.statusCode, answer.code, answer.message);
    deps.logger.error('unexpected failure', { method: c.req.method, path: c.req.path, error: errorText(error) });
    return fail(c, 500, 'internal', 'something went wrong on our side; it has been logged');
  });
  return app;
}

function fail(c: Context, status: HttpError['statusCode'], code: ApiErrorCode, message: string): Response {
  return c.json(errorBody(code, message), status);
}
