/** `GET /auth/config` (no authentication): how people sign in to this deployment, so the extension's sign-in screen can adapt. */
import { createFactory } from 'hono/factory';
import type { AuthConfigResponse, SignInMethod } from '../../../shared/api/auth-config.ts';
import type { ApiDeps } from '../deps.ts';

const factory = createFactory();

export function authConfig(deps: ApiDeps) {
  return factory.createHandlers(async (c) => {
    const methods: SignInMethod[] = [...(deps.directory ? ['directory' as const] : []), ...(deps.cognito ? ['cognito' as const] : [])];
    const body: AuthConfigResponse = { methods, ...(deps.cognito ? { cognito: deps.cognito.publicSettings } : {}) };
    return c.json(body);
  });
}
