/** `GET /auth/config` (no authentication): how people sign in to this deployment, so the extension's sign-in screen can adapt. */
import type { Context } from 'hono';
import type { AuthConfigResponse, SignInMethod } from '../../../shared/api/contract.ts';
import type { ApiDeps } from '../deps.ts';

export async function authConfig(deps: ApiDeps, c: Context): Promise<Response> {
  const methods: SignInMethod[] = [...(deps.directory ? ['directory' as const] : []), ...(deps.cognito ? ['cognito' as const] : [])];
  const body: AuthConfigResponse = { methods, ...(deps.cognito ? { cognito: deps.cognito.publicSettings } : {}) };
  return c.json(body);
}
