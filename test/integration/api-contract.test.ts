/**
 * The contract (shared/api/routes.ts) against the real API over HTTP: every answer of every route is
 * exactly what the route's `response` schema describes (no field the contract does not name: a person's
 * directory handle, say), and every error answer is an `ApiErrorBody` with a code the contract lists.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBodySchema } from '../../shared/api/errors.ts';
import { API_ROUTES, type ApiRoute } from '../../shared/api/routes.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { apiCaller, type ApiAnswer } from '../helpers/http-api.ts';

let stack: LocalStack;
const { call } = apiCaller(() => stack.apiUrl);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

/** Calls `route` as its contract says (method, path with `:id` filled in), and checks the answer is exactly its schema's. */
async function answerOf(route: ApiRoute, init: { json?: unknown; token?: string; id?: string; status?: number } = {}): Promise<unknown> {
  const { id, status, ...rest } = init;
  const answer = await call(route.path.replace(':id', id ?? ''), { method: route.method, ...rest });
  expect(answer.status, answer.text).toBe(status ?? 200);
  // The schemas drop fields they do not name: equal after parsing means the backend sent no others.
  expect(route.response.parse(answer.body)).toEqual(answer.body);
  return answer.body;
}

function expectContractError(answer: ApiAnswer, status: number): void {
  expect(answer.status, answer.text).toBe(status);
  expect(ApiErrorBodySchema.parse(answer.body)).toEqual(answer.body);
}

describe('the API answers as its contract says', () => {
  it('on every route, through a whole sign-in', async () => {
    expect(await answerOf(API_ROUTES.health)).toEqual({ ok: true });
    expect(await answerOf(API_ROUTES.authConfig)).toEqual({ methods: ['directory'] });

    const session = (await answerOf(API_ROUTES.session, { json: { username: 'alice', password: 'alice-demo-password' } })) as SessionResponse;
    expect(session.user.id).toBe('alice@corp.example.com');
    expect(session.refreshToken).toBeDefined();
    const refreshed = (await answerOf(API_ROUTES.sessionRefresh, { json: { refreshToken: session.refreshToken } })) as SessionResponse;

    const listed = await answerOf(API_ROUTES.entitlements, { token: refreshed.token });
    expect(listed).toEqual({ user: refreshed.user, entitlements: refreshed.entitlements });
    const [first] = refreshed.entitlements;
    await answerOf(API_ROUTES.federate, { token: refreshed.token, json: { accountId: first?.accountId, permissionSet: first?.permissionSet } });
    const developer = refreshed.entitlements.find((entitlement) => entitlement.permissionSet === 'Developer');
    await answerOf(API_ROUTES.credentials, { token: refreshed.token, json: { accountId: developer?.accountId, permissionSet: 'Developer' } });

    const verifier = randomBytes(32).toString('base64url');
    const handoff = { redirectUri: 'http://127.0.0.1:49152/callback', codeChallenge: createHash('sha256').update(verifier).digest('base64url') };
    const { code } = (await answerOf(API_ROUTES.cliAuthorize, {
      token: refreshed.token,
      json: { ...handoff, codeChallengeMethod: 'S256', refreshToken: refreshed.refreshToken },
    })) as { code: string };
    await answerOf(API_ROUTES.sessionCli, { json: { code, codeVerifier: verifier, redirectUri: handoff.redirectUri } });

    expect(await answerOf(API_ROUTES.sessionSignOut, { token: refreshed.token, json: { refreshToken: refreshed.refreshToken } })).toEqual({
      ok: true,
    });
  });

  it('on every elevation route, through a request that is approved, extended and revoked, and one cancelled', async () => {
    const bob = (await answerOf(API_ROUTES.session, { json: { username: 'bob', password: 'bob-demo-password' } })) as SessionResponse;
    const alice = (await answerOf(API_ROUTES.session, { json: { username: 'alice', password: 'alice-demo-password' } })) as SessionResponse;
    const eligible = bob.entitlements.find((entitlement) => entitlement.eligible);
    const ask = { accountId: eligible?.accountId, permissionSet: eligible?.permissionSet, justification: 'OPS-1' };
    const { id } = (await answerOf(API_ROUTES.requestCreate, { token: bob.token, json: ask, status: 201 })) as { id: string };
    expect(await answerOf(API_ROUTES.requestsToApprove, { token: alice.token })).toMatchObject({ requests: [{ id }] });
    await answerOf(API_ROUTES.requestGet, { token: bob.token, id });
    await answerOf(API_ROUTES.requestApprove, { token: alice.token, id, json: {} });
    await answerOf(API_ROUTES.grantExtend, { token: bob.token, id, json: {} });
    await answerOf(API_ROUTES.requestRevoke, { token: bob.token, id, json: { reason: 'done' } });
    const second = (await answerOf(API_ROUTES.requestCreate, { token: bob.token, json: ask, status: 201 })) as { id: string };
    await answerOf(API_ROUTES.requestCancel, { token: bob.token, id: second.id, json: {} });
    const third = (await answerOf(API_ROUTES.requestCreate, { token: bob.token, json: ask, status: 201 })) as { id: string };
    await answerOf(API_ROUTES.requestDeny, { token: alice.token, id: third.id, json: { reason: 'not now' } });
    expect(await answerOf(API_ROUTES.requestsMine, { token: bob.token })).toMatchObject({ requests: [{ id: third.id }, { id: second.id }, { id }] });
    expectContractError(
      await call('/federate', { method: 'POST', token: bob.token, json: { accountId: ask.accountId, permissionSet: ask.permissionSet } }),
      403,
    );
  });

  it('on every kind of refusal', async () => {
    const { session, federate, entitlements, sessionCognito } = API_ROUTES;
    expectContractError(await call(session.path, { method: 'POST', json: { username: 'alice' } }), 400);
    expectContractError(await call(session.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), 400);
    expectContractError(await call(session.path, { method: 'POST', json: { username: 'alice', password: 'wrong' } }), 401);
    expectContractError(await call(entitlements.path), 401);
    expectContractError(await call(federate.path, { method: 'POST', token: 'forged', json: {} }), 401);
    const alice = (await answerOf(API_ROUTES.session, { json: { username: 'alice', password: 'alice-demo-password' } })) as SessionResponse;
    const admin = alice.entitlements.find((entitlement) => entitlement.consoleOnly);
    const consoleOnlyPair = { accountId: admin?.accountId, permissionSet: admin?.permissionSet };
    expectContractError(await call(API_ROUTES.credentials.path, { method: 'POST', token: alice.token, json: consoleOnlyPair }), 403);
    const unknownCode = { code: 'x'.repeat(43), codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1:49152/callback' };
    expectContractError(await call(API_ROUTES.sessionCli.path, { method: 'POST', json: unknownCode }), 400);
    expectContractError(await call(sessionCognito.path, { method: 'POST', json: {} }), 404);
    expectContractError(await call('/nope'), 404);
    expectContractError(await call(session.path), 405);
    expectContractError(await call(session.path, { method: 'POST', json: { username: 'alice', password: 'x'.repeat(20_000) } }), 413);
    expectContractError(await call(session.path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415);
  });
});
