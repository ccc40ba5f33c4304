import type { Context } from 'hono';
import {
  FederateRequestSchema,
  SessionRequestSchema,
  type EntitlementsResponse,
  type FederateResponse,
  type SessionResponse,
  type SessionUser,
} from '../../shared/api/contract.ts';
import { resolveEntitlements } from '../../shared/entitlements.ts';
import { BrokerError } from '../broker/console-broker.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { bearerToken, jsonBody } from './request.ts';

export async function createSession(deps: ApiDeps, c: Context): Promise<Response> {
  const request = await jsonBody(c, SessionRequestSchema);
  const person = await deps.directory.authenticate(request.username, request.password);
  if (!person) {
    deps.logger.info('sign-in refused', { username: request.username });
    throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
  }
  const user: SessionUser = { id: person.id, displayName: person.displayName, groups: person.groups };
  const { token, expiresAt } = await deps.sessionTokens.issue(user);
  const entitlements = await entitlementsOf(deps, user);
  deps.logger.info('signed in', { user: user.id, groups: user.groups, entitlements: entitlements.length });
  const body: SessionResponse = { token, expiresAt: expiresAt.toISOString(), user, entitlements };
  return c.json(body);
}

export async function listEntitlements(deps: ApiDeps, c: Context): Promise<Response> {
  const user = await signedInUser(deps, c);
  const body: EntitlementsResponse = { user, entitlements: await entitlementsOf(deps, user) };
  return c.json(body);
}

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
      deps.logger.error('federation failed', { user: user.id, accountId: entitlement.accountId, permissionSet: entitlement.permissionSet, reason: error.message });
      throw new HttpError(502, 'upstream_failure', `could not open the console: ${error.message}`);
    }
    throw error;
  }
}

async function entitlementsOf(deps: ApiDeps, user: SessionUser) {
  return resolveEntitlements(await deps.policy.current(), user.groups);
}

async function signedInUser(deps: ApiDeps, c: Context): Promise<SessionUser> {
  const token = bearerToken(c);
  if (!token) throw new HttpError(401, 'unauthorized', 'sign in first: the Authorization: Bearer header is missing');
  const user = await deps.sessionTokens.verify(token);
  if (!user) throw new HttpError(401, 'unauthorized', 'your session has expired or is not valid: sign in again');
  return user;
}
