/**
 * `POST /cli/authorize` (docs/cli.md): the web page, signed in, asks for a one-time code that hands its
 * person to the CLI waiting on a loopback port. The code is bound to the CLI's PKCE challenge, its
 * redirect and the person (with what a refresh needs to read them again, taken from the page's own
 * refresh token of the same session); it is single use and lasts CLI_LOGIN_CODE_SECONDS.
 */
import { createFactory } from 'hono/factory';
import type { CliAuthorizeResponse } from '../../../shared/api/cli-login.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { CliLoginGrant } from '../../auth/cli-login-codes.ts';
import { cliLoginAudit, redirectHostOf } from '../cli-login-audit.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function authorizeCli(deps: ApiDeps) {
  return factory.createHandlers(
    cliLoginAudit(deps.logger, 'authorize'),
    signedInPerson(deps),
    jsonBody(API_ROUTES.cliAuthorize.request),
    async (c) => {
      const { audit, person, session } = c.var;
      const request = c.req.valid('json');
      audit.set({ redirectHost: redirectHostOf(request.redirectUri), source: session.source });

      let refresh: CliLoginGrant['refresh'];
      if (request.refreshToken !== undefined) {
        const grant = await deps.sessions.grantOf(request.refreshToken);
        if (!grant || grant.sid !== session.sid) {
          throw new HttpError(400, 'bad_request', 'refreshToken: it is not the refresh token of the signed-in session');
        }
        refresh = {
          ...(grant.accountName !== undefined ? { accountName: grant.accountName } : {}),
          ...(grant.upstreamRefreshToken !== undefined ? { upstreamRefreshToken: grant.upstreamRefreshToken } : {}),
          ...(grant.clientId !== undefined ? { clientId: grant.clientId } : {}),
        };
      }
      const issued = await deps.cliLoginCodes.issue(
        { user: person, source: session.source, ...(refresh ? { refresh } : {}) },
        { redirectUri: request.redirectUri, codeChallenge: request.codeChallenge },
      );
      audit.succeeded({ user: person.id, source: session.source });
      const body: CliAuthorizeResponse = { code: issued.code, expiresAt: issued.expiresAt.toISOString() };
      return c.json(body);
    },
  );
}
