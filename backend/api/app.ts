/**
 * The HTTP API as one Hono app. The Lambda entry (hono/aws-lambda) and the local server
 * (@hono/node-server) both serve exactly this app.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { API_ROUTES, MAX_REQUEST_BODY_BYTES, type ApiErrorCode } from '../../shared/api/contract.ts';
import { extensionCors } from './cors.ts';
import type { ApiDeps } from './deps.ts';
import { errorBody, HttpError } from './errors.ts';
import { PolicyUnavailable } from '../api-policy/policy-source.ts';
import { listEntitlements } from './routes/entitlements.ts';
import { federate } from './routes/federate.ts';
import { createSession } from './routes/session.ts';
import { authConfig } from './routes/auth-config.ts';
import { createCognitoSession } from './routes/session-cognito.ts';
import { refreshSession } from './routes/session-refresh.ts';
import { signOut } from './routes/session-sign-out.ts';

type Route = (deps: ApiDeps, c: Context) => Promise<Response>;

const ROUTES: Record<string, Partial<Record<'GET' | 'POST', Route>>> = {
  [API_ROUTES.session]: { POST: createSession },
  [API_ROUTES.entitlements]: { GET: listEntitlements },
  [API_ROUTES.federate]: { POST: federate },
  [API_ROUTES.health]: { GET: async (_deps, c) => c.json({ ok: true }) },
  // sign-in (issue 8)
  [API_ROUTES.authConfig]: { GET: authConfig },
  [API_ROUTES.sessionCognito]: { POST: createCognitoSession },
  [API_ROUTES.sessionRefresh]: { POST: refreshSession },
  [API_ROUTES.sessionSignOut]: { POST: signOut },
};

export function makeApiApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.use(async (c, next) => {
    const started = Date.now();
    await next();
    c.header('cache-control', 'no-store');
    deps.logger.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false, originAgentCluster: false }));
  app.use(extensionCors(deps.allowedOrigins));
  app.use(
    bodyLimit({
      maxSize: MAX_REQUEST_BODY_BYTES,
      onError: (c) => fail(c, 413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`),
    }),
  );

  for (const [path, methods] of Object.entries(ROUTES)) {
    for (const [method, route] of Object.entries(methods)) app.on(method, path, (c) => route(deps, c));
    const allowed = Object.keys(methods).join(', ');
    app.all(path, (c) => fail(c, 405, 'method_not_allowed', `${path} accepts ${allowed}`));
  }

  app.notFound((c) => fail(c, 404, 'not_found', `no route ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof HttpError) return fail(c, error.statusCode, error.code, error.message);
    if (error instanceof PolicyUnavailable) {
      deps.logger.warn('policy unavailable', {
        path: c.req.path,
        reason: error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : error.message,
      });
      return fail(c, 503, 'policy_unavailable', error.message);
    }
    if (error instanceof HTTPException && error.status === 413) {
      return fail(c, 413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
    }
    deps.logger.error('unexpected failure', {
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
    });
    return fail(c, 500, 'internal', 'something went wrong on our side; it has been logged');
  });
  return app;
}

function fail(c: Context, status: HttpError['statusCode'], code: ApiErrorCode, message: string): Response {
  return c.json(errorBody(code, message), status);
}
