/**
 * `POST /session/cli` (docs/cli.md): the CLI redeems the code the web page handed it, with its PKCE
 * verifier and the same loopback redirect, for a new session of its own (the same answer as every
 * sign-in). Every refusal is a 400 `invalid_grant` whose message, and audit record, say which: the code
 * unknown, used or expired, the redirect or the verifier not the code's.
 */
import { createFactory } from 'hono/factory';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { CliCodeRefused } from '../../auth/cli-login-codes.ts';
import { cliLoginAudit, redirectHostOf } from '../cli-login-audit.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { sessionBody, sessionPersonOf } from '../session-answer.ts';

const factory = createFactory();

export function createCliSession(deps: ApiDeps) {
  return factory.createHandlers(cliLoginAudit(deps.logger, 'redeem'), jsonBody(API_ROUTES.sessionCli.request), async (c) => {
    const { audit } = c.var;
    const request = c.req.valid('json');
    audit.set({ redirectHost: redirectHostOf(request.redirectUri) });
    const grant = await deps.cliLoginCodes.redeem(request).catch((error: unknown) => {
      if (!(error instanceof CliCodeRefused)) throw error;
      audit.set({ refusal: error.refusal, user: error.user });
      throw new HttpError(400, 'invalid_grant', error.message);
    });
    const policy = await deps.policy.current();
    const user = sessionPersonOf(policy, grant.user);
    const issued = await deps.sessions.begin({ user, source: grant.source, ...(grant.refresh ? { refresh: grant.refresh } : {}) });
    audit.succeeded({ user: user.id, source: grant.source });
    return c.json(sessionBody(policy, user, grant.source, issued));
  });
}
