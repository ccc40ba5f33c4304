/**
 * The HTTP API as one function of an API Gateway (HTTP API, payload 2.0) event. The Lambda entry and
 * the local server both run exactly this.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API_ROUTES } from '../../shared/api/contract.ts';
import { corsHeaders } from '../http/cors.ts';
import { originOf } from '../http/request.ts';
import { apiError, HttpError, json, type HttpResult } from '../http/responses.ts';
import type { ApiDeps } from './deps.ts';
import { createSession, federate, listEntitlements } from './routes.ts';

type Route = (deps: ApiDeps, event: APIGatewayProxyEventV2) => Promise<HttpResult>;

const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  [API_ROUTES.session]: { POST: createSession },
  [API_ROUTES.entitlements]: { GET: listEntitlements },
  [API_ROUTES.federate]: { POST: federate },
  [API_ROUTES.health]: { GET: async () => json(200, { ok: true }) },
};

export function makeApiHandler(deps: ApiDeps) {
  return async function handle(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const started = Date.now();
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    const path = event.rawPath ?? '/';
    const cors = corsHeaders(deps.cors, originOf(event));
    const result = method === 'OPTIONS' ? { statusCode: 204, headers: {} } : await route(deps, method, path, event);
    deps.logger.info('request', { method, path, status: result.statusCode, ms: Date.now() - started });
    return { ...result, headers: { ...result.headers, ...cors } };
  };
}

async function route(deps: ApiDeps, method: string, path: string, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const methods = ROUTES[path];
  if (!methods) return apiError(404, 'not_found', `no route ${path}`);
  const handler = methods[method];
  if (!handler) return apiError(405, 'method_not_allowed', `${path} accepts ${Object.keys(methods).join(', ')}`);
  try {
    return await handler(deps, event);
  } catch (error) {
    if (error instanceof HttpError) return apiError(error.statusCode, error.code, error.message);
    deps.logger.error('unexpected failure', { method, path, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
    return apiError(500, 'internal', 'something went wrong on our side; it has been logged');
  }
}
