/**
 * The API client for whatever backend URL is in force now (policy > the person's choice > the build's
 * default), so a policy pushed while the browser runs, or a URL typed on the options page, takes effect on the
 * next call. Without any URL every call fails with `not-configured`, which the popup shows as is.
 */
import type { SettingsSource } from '../settings/settings.ts';
import { makeApiClient } from './api-client.ts';
import type { ApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';

export const NOT_CONFIGURED_MESSAGE =
  "No Switchyard backend is set. Ask your administrator, or enter the backend's URL in Switchyard's options (right-click the toolbar button, then Options).";

export function notConfigured(): ApiFailure {
  return new ApiFailure('not-configured', NOT_CONFIGURED_MESSAGE);
}

export function makeSettingsApiClient(
  settings: SettingsSource,
  make: (baseUrl: string) => ApiClient = (baseUrl) => makeApiClient({ baseUrl }),
): ApiClient {
  let client: ApiClient | undefined;

  async function current(): Promise<ApiClient> {
    const { apiUrl } = (await settings.current()).values;
    if (!apiUrl) throw notConfigured();
    if (client?.baseUrl !== apiUrl) client = make(apiUrl);
    return client;
  }

  return {
    get baseUrl() {
      return client?.baseUrl ?? '';
    },
    createSession: async (request) => (await current()).createSession(request),
    getEntitlements: async (token) => (await current()).getEntitlements(token),
    federate: async (token, request) => (await current()).federate(token, request),
    getAuthConfig: async () => (await current()).getAuthConfig(),
    createCognitoSession: async (request) => (await current()).createCognitoSession(request),
    refreshSession: async (refreshToken) => (await current()).refreshSession(refreshToken),
    signOut: async (request) => (await current()).signOut(request),
    createRequest: async (token, request) => (await current()).createRequest(token, request),
    myRequests: async (token) => (await current()).myRequests(token),
    requestsToApprove: async (token) => (await current()).requestsToApprove(token),
    approveRequest: async (token, id, reason) => (await current()).approveRequest(token, id, reason),
    denyRequest: async (token, id, reason) => (await current()).denyRequest(token, id, reason),
    cancelRequest: async (token, id, reason) => (await current()).cancelRequest(token, id, reason),
    revokeGrant: async (token, id, reason) => (await current()).revokeGrant(token, id, reason),
    extendGrant: async (token, id, extension) => (await current()).extendGrant(token, id, extension),
  };
}
