/**
 * `--account` names an account by its id or its name, as `switchyard list` shows them. An id is sent as
 * it is (the API checks the entitlement); a name is looked up among the person's entitlements.
 */
import type { Entitlement } from '../../../shared/api/entitlements.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import { UsageError } from '../command.ts';
import { callApi } from './api-client.ts';

export async function listEntitlements(api: string, token: string): Promise<Entitlement[]> {
  return (await callApi(api, API_ROUTES.entitlements, { token })).entitlements;
}

export async function accountIdOf(api: string, token: string, account: string): Promise<string> {
  if (/^\d{12}$/.test(account)) return account;
  const entitlements = await listEntitlements(api, token);
  const exact = new Set(entitlements.filter((e) => e.accountName === account).map((e) => e.accountId));
  const ids =
    exact.size > 0 ? exact : new Set(entitlements.filter((e) => e.accountName.toLowerCase() === account.toLowerCase()).map((e) => e.accountId));
  if (ids.size === 1) return [...ids][0] as string;
  if (ids.size > 1) throw new UsageError(`${ids.size} of your accounts are named ${account} (${[...ids].join(', ')}): give --account the id`);
  throw new UsageError(`none of your entitlements is in an account named ${JSON.stringify(account)}: switchyard list shows them`);
}
