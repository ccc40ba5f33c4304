/**
 * Credentials for one pair, as `switchyard credentials` and `switchyard exec` get them: from the cache
 * while they last beyond its margin, else from `POST /credentials` (then cached).
 */
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { callApi } from './api-client.ts';
import { cacheFileOf, readCachedCredentials, writeCachedCredentials, type CredentialTarget, type IssuedCredentials } from './credential-cache.ts';
import { accountIdOf } from './entitlement-target.ts';
import type { CliEnvironment } from './home.ts';
import { accessToken } from './session-store.ts';

export async function roleCredentials(env: CliEnvironment, api: string, target: CredentialTarget): Promise<IssuedCredentials> {
  const file = cacheFileOf(env, api, target);
  const cached = readCachedCredentials(file, Date.now());
  if (cached) return cached;
  const token = await accessToken(env, api);
  const accountId = await accountIdOf(api, token, target.account);
  const issued = await callApi(api, API_ROUTES.credentials, {
    token,
    body: { accountId, permissionSet: target.permissionSet, ...(target.region ? { region: target.region } : {}) },
  });
  writeCachedCredentials(file, issued);
  return issued;
}
