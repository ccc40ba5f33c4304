/** `POST /federate`: the entitlement checked again, then a console sign-in URL from the broker. */
import type { Context } from 'hono';
import { FederateRequestSchema, type FederateResponse } from '../../../shared/api/contract.ts';
import { BrokerError } from '../../broker/console-broker.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import { jsonBody } from '../request.ts';
import { entitlementsOf, signedInUser } from './signed-in.ts';

export async function federate(deps: ApiDeps, c: Context): Promise<Response> {
  const user = await signedInUser(deps, c);
  const request = await jsonBody(c, FederateRequestSchema);
  const entitlement = (await entitlementsOf(deps, user)).find(
    (candidate) => candidate.accountId === request.accountId && candidate.permissionSet === request.permissionSet,
  );
  if (!entitlement) {
    deps.logger.warn('federation refused: not entitled', { user: user.id, accountId: request.accountId, permissionSet: request.permissionSet });
    throw new HttpError(403, 'forbidden', `you may not use ${request.permissionSet} in account ${request.accountId}`);
  }
  const region = request.region ?? entitlement.regions[0] ?? deps.defaultRegion;
  try {
    const url = await deps.broker.signInUrl({
      user,
      accountId: entitlement.accountId,
      permissionSet: entitlement.permissionSet,
      sessionDurationSeconds: entitlement.sessionDurationSeconds,
      region,
      destination: request.destination,
    });
    deps.logger.info('console opened', { user: user.id, accountId: entitlement.accountId, permissionSet: entitlement.permissionSet, region });
    const body: FederateResponse = { url };
    return c.json(body);
  } catch (error) {
    if (error instanceof BrokerError) {
      deps.logger.error('federation failed', {
        user: user.id,
        accountId: entitlement.accountId,
        permissionSet: entitlement.permissionSet,
        reason: error.message,
      });
      throw new HttpError(502, 'upstream_failure', `could not open the console: ${error.message}`);
    }
    throw error;
  }
}
