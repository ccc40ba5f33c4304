/**
 * `POST /credentials` (docs/cli.md): temporary credentials for one entitled pair. The same checks as
 * POST /federate (entitled-pair.ts: for an eligible pair, a grant covering it, credentials that expire before it), plus console-only permission sets refused, and the same broker path
 * without the federation endpoint. Every attempt writes one audit record; the credentials are in the
 * answer only. A successful one records the pair's last CLI use (backend/access/last-use.ts), after the answer.
 */
import { createFactory } from 'hono/factory';
import type { CredentialsResponse } from '../../../shared/api/credentials.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { regionRefusal } from '../../../shared/console/partitions.ts';
import { BrokerError } from '../../broker/console-broker.ts';
import type { ApiDeps } from '../deps.ts';
import { entitledPair, homeRegionOf, pairSession } from '../entitled-pair.ts';
import { HttpError } from '../errors.ts';
import { federationAudit } from '../federation-audit.ts';
import { jsonBody } from '../request.ts';
import { signedInPerson } from '../signed-in-person.ts';

const factory = createFactory();

export function issueCredentials(deps: ApiDeps) {
  return factory.createHandlers(federationAudit(deps, 'credentials'), signedInPerson(deps), jsonBody(API_ROUTES.credentials.request), async (c) => {
    const { audit, person } = c.var;
    const request = c.req.valid('json');
    const { accountId, permissionSet } = request;
    audit.set({ user: person.id, accountId, permissionSet, region: request.region });

    const entitlement = await entitledPair(deps, person, { accountId, permissionSet }, 'credentials');
    const session = await pairSession(deps, person, { accountId, permissionSet }, entitlement);
    audit.set({ sessionSeconds: session.seconds, grantId: session.grantId });
    if (request.region !== undefined) {
      const refused = regionRefusal(request.region, deps.partition);
      if (refused) throw new HttpError(400, 'bad_request', `region: ${refused}`);
    }
    const region = request.region ?? homeRegionOf(entitlement, deps);
    audit.set({ region });

    const role = await deps.broker
      .credentials({
        user: person,
        accountId,
        permissionSet,
        sessionDurationSeconds: session.seconds,
        requestId: audit.requestId,
      })
      .catch((error: unknown) => {
        if (!(error instanceof BrokerError)) throw error;
        throw new HttpError(502, 'upstream_failure', `could not get credentials: ${error.message} (request ${audit.requestId})`);
      });
    await session.confirm();
    const expiresAt = role.credentials.expiration.toISOString();
    audit.succeeded({
      sessionName: role.sessionName,
      upstreamMs: role.upstreamMs,
      expiresAt,
      ...(role.webIdentity ? { webIdentity: role.webIdentity } : {}),
    });
    const body: CredentialsResponse = {
      AccessKeyId: role.credentials.accessKeyId,
      SecretAccessKey: role.credentials.secretAccessKey,
      SessionToken: role.credentials.sessionToken,
      Expiration: expiresAt,
      Region: region,
    };
    const answer = c.json(body);
    // Credentials are programmatic use, from the CLI or the web page's credentials panel alike.
    deps.lastUse.record({ personId: person.id, accountId, permissionSet, channel: 'cli', at: new Date() });
    return answer;
  });
}
