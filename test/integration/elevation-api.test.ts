/**
 * Elevation over real HTTP against the local stack (moto's DynamoDB holds the requests): the demo's bob asks
 * for Developer in payments-prod, alice approves, bob opens it for a session that ends before the grant,
 * extends it, and a revocation refuses his next click at once. Every change is one audit record; a click on
 * a granted pair carries the grant's id in its federation audit record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialsResponseSchema } from '../../shared/api/credentials.ts';
import type { Entitlement, EntitlementsResponse } from '../../shared/api/entitlements.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { RequestList, RequestView } from '../../shared/api/requests.ts';
import { API_ROUTES } from '../../shared/api/routes.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let api: RunningServer;
const logger = recordingLogger('switchyard-api', 'INFO');
const reconcileAsked: string[] = [];
const { call, signIn } = apiCaller(() => api.url);
let bob: SessionResponse;
let alice: SessionResponse;
let carol: SessionResponse;
let pair: Entitlement;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  const deps = await assembleApi(apiConfig(stack.env), {
    credentials: stack.moto.settings.credentials,
    logger,
    reconcileNow: async (request) => void reconcileAsked.push(request.id),
  });
  api = await serveApi(makeApiApp(deps), 0);
  [bob, alice, carol] = await Promise.all([
    signIn('bob', 'bob-demo-password'),
    signIn('alice', 'alice-demo-password'),
    signIn('carol', 'carol-demo-password'),
  ]);
  const found = bob.entitlements.find((e) => e.accountName === 'payments-prod' && e.permissionSet === 'Developer');
  if (!found) throw new Error('the demo policy no longer makes bob eligible for Developer in payments-prod');
  pair = found;
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const post = (path: string, token: string, json: unknown) => call(path, { method: 'POST', token, json });
const federate = (token: string) => post('/federate', token, { accountId: pair.accountId, permissionSet: 'Developer' });
const credentials = (token: string) => post('/credentials', token, { accountId: pair.accountId, permissionSet: 'Developer' });
const audits = (message: string) => logger.entries.filter((entry) => entry.message === message).map((entry) => entry.fields);

describe('the demo elevation, over HTTP', () => {
  let request: RequestView;

  it('lists the eligible pair marked, with its rule, and refuses a click without a grant', async () => {
    expect(pair.eligible).toMatchObject({ maxDurationSeconds: 7200, approval: { kind: 'approvers', groups: ['Platform-Admins'], count: 1 } });
    expect(bob.entitlements.filter((e) => !e.eligible).map((e) => `${e.accountName}/${e.permissionSet}`)).toEqual([
      'data-prod/ReadOnly',
      'payments-prod/ReadOnly',
    ]);
    const refused = expectError(await federate(bob.token), 403, 'grant_required');
    expect(refused).toContain('ask for it');
    expect(audits('federation attempt').at(-1)).toMatchObject({ outcome: 'grant_required', user: 'bob@corp.example.com' });
    // The terminal passes the same check.
    expectError(await credentials(bob.token), 403, 'grant_required');
  });

  it('refuses bad requests naming what is wrong', async () => {
    const body = { accountId: pair.accountId, permissionSet: 'Developer' };
    expect(expectError(await post('/requests', bob.token, body), 400, 'bad_request')).toBe('a justification is required (for example "OPS-123")');
    expect(expectError(await post('/requests', bob.token, { ...body, justification: 'because' }), 400, 'bad_request')).toContain('^[A-Z]+-[0-9]+');
    expect(
      expectError(await post('/requests', bob.token, { ...body, justification: 'OPS-1', durationSeconds: 3 * 3600 }), 400, 'bad_request'),
    ).toContain('2 h');
    expect(expectError(await post('/requests', bob.token, { ...body, justification: 'OPS-1', extra: 1 }), 400, 'bad_request')).toContain('extra');
    expectError(await post('/requests', carol.token, { ...body, justification: 'OPS-1' }), 403, 'forbidden');
    expectError(await post('/requests', alice.token, { accountId: pair.accountId, permissionSet: 'AdministratorAccess' }), 409, 'conflict');
    expectError(await call('/requests'), 401, 'unauthorized');
    expectError(await call('/requests/not-an-id', { token: bob.token }), 404, 'not_found');
    expectError(await call('/requests/aaaaaaaaaaaaaaaa', { token: bob.token }), 404, 'not_found');
    expectError(await call('/approvals', { method: 'POST', token: bob.token, json: {} }), 405, 'method_not_allowed');
  });

  it('bob asks; a second request for the covered pair is refused naming the first', async () => {
    const created = await post('/requests', bob.token, { accountId: pair.accountId, permissionSet: 'Developer', justification: 'OPS-123' });
    expect(created.status).toBe(201);
    request = API_ROUTES.requestCreate.response.parse(created.body);
    expect(request).toMatchObject({ state: 'pending', durationSeconds: 3600, approvalsNeeded: 1, requester: { id: 'bob@corp.example.com' } });
    expect(
      expectError(
        await post('/requests', bob.token, { accountId: pair.accountId, permissionSet: 'Developer', justification: 'OPS-124' }),
        409,
        'conflict',
      ),
    ).toContain(request.id);
    const listed = (await call('/entitlements', { token: bob.token })).body as EntitlementsResponse;
    expect(listed.entitlements.find((e) => e.eligible)?.openRequest).toEqual({ id: request.id, state: 'pending', until: request.pendingExpiresAt });
    expect(expectError(await federate(bob.token), 403, 'grant_required')).toContain('waiting for approval');
  });

  it('only an approver sees and approves it, never bob himself', async () => {
    expect(((await call('/approvals', { token: alice.token })).body as RequestList).requests.map((r) => r.id)).toEqual([request.id]);
    expect(((await call('/approvals', { token: bob.token })).body as RequestList).requests).toEqual([]);
    expect(((await call('/approvals', { token: carol.token })).body as RequestList).requests).toEqual([]);
    expectError(await call(`/requests/${request.id}`, { token: carol.token }), 404, 'not_found');
    expectError(await post(`/requests/${request.id}/approve`, bob.token, {}), 403, 'forbidden');
    expectError(await post(`/requests/${request.id}/approve`, carol.token, {}), 403, 'forbidden');
    const approved = await post(`/requests/${request.id}/approve`, alice.token, { reason: 'on call' });
    expect(approved.status).toBe(200);
    request = API_ROUTES.requestApprove.response.parse(approved.body);
    expect(request).toMatchObject({
      state: 'active',
      approvals: [{ by: { id: 'alice@corp.example.com' }, group: 'Platform-Admins', reason: 'on call' }],
    });
    expectError(await post(`/requests/${request.id}/approve`, alice.token, {}), 409, 'conflict');
  });

  it('bob opens the console for a session that ends before the grant, and the click is audited with the grant id', async () => {
    const response = await federate(bob.token);
    expect(response.status).toBe(200);
    const page = await (await fetch((response.body as FederateResponse).url)).text();
    const sessionSeconds = audits('federation attempt').at(-1)?.sessionSeconds as number;
    // Developer's session is 4 h; the grant has about an hour left.
    expect(sessionSeconds).toBeGreaterThan(3500);
    expect(sessionSeconds).toBeLessThanOrEqual(3600 - 30);
    expect(Date.now() + sessionSeconds * 1000).toBeLessThan(Date.parse(request.endsAt!));
    expect(page).toMatch(/data-field="person">bob@corp\.example\.com\+[a-z2-7]{12}</);
    expect(audits('federation attempt').at(-1)).toMatchObject({ outcome: 'opened', grantId: request.id, user: 'bob@corp.example.com' });
  });

  it('credentials for the terminal expire before the grant ends too', async () => {
    const response = await credentials(bob.token);
    expect(response.status).toBe(200);
    const expiration = Date.parse(CredentialsResponseSchema.parse(response.body).Expiration);
    expect(expiration).toBeLessThan(Date.parse(request.endsAt!));
    expect(expiration).toBeGreaterThan(Date.now() + 3000 * 1000);
    expect(audits('federation attempt').at(-1)).toMatchObject({ outcome: 'issued', grantId: request.id, access: 'credentials' });
  });

  it('bob extends once, then no more', async () => {
    const extended = API_ROUTES.grantExtend.response.parse((await post(`/requests/${request.id}/extend`, bob.token, {})).body);
    expect(Date.parse(extended.endsAt!) - Date.parse(request.endsAt!)).toBe(1800 * 1000);
    expectError(await post(`/requests/${request.id}/extend`, bob.token, {}), 409, 'conflict');
    expectError(await post(`/requests/${request.id}/extend`, alice.token, {}), 403, 'forbidden');
  });

  it('a revocation refuses his next click at once and asks the reconciler to deny the sessions it gave', async () => {
    expectError(await post(`/requests/${request.id}/revoke`, carol.token, { reason: 'x' }), 403, 'forbidden');
    expectError(await post(`/requests/${request.id}/revoke`, alice.token, {}), 400, 'bad_request');
    const revoked = API_ROUTES.requestRevoke.response.parse(
      (await post(`/requests/${request.id}/revoke`, alice.token, { reason: 'incident closed' })).body,
    );
    expect(revoked).toMatchObject({ state: 'revoked', closed: { by: { id: 'alice@corp.example.com' }, reason: 'incident closed' } });
    expect(reconcileAsked).toEqual([request.id]);
    expectError(await federate(bob.token), 403, 'grant_required');
    expectError(await credentials(bob.token), 403, 'grant_required');
    const mine = API_ROUTES.requestsMine.response.parse((await call('/requests', { token: bob.token })).body);
    expect(mine.requests.map((r) => [r.id, r.state])).toEqual([[request.id, 'revoked']]);
  });

  it('writes one audit record per change: who, what, when and why', async () => {
    expect(audits('elevation change').map((record) => [record.change, record.actor, record.requestId])).toEqual([
      ['requested', 'bob@corp.example.com', request.id],
      ['granted', 'alice@corp.example.com', request.id],
      ['extended', 'bob@corp.example.com', request.id],
      ['revoked', 'alice@corp.example.com', request.id],
    ]);
    expect(audits('elevation change')[0]).toMatchObject({
      accountId: pair.accountId,
      permissionSet: 'Developer',
      durationSeconds: 3600,
      justification: 'OPS-123',
      requester: 'bob@corp.example.com',
    });
    expect(audits('elevation change')[3]).toMatchObject({ reason: 'incident closed', state: 'revoked' });
    expect(logger.text()).not.toContain(bob.token);
  });

  it('a request decided one way cannot be decided the other: a 409 naming its state', async () => {
    // Races themselves (two approvers, an approval and a cancel at once) are decided by the version condition:
    // backend/elevation/elevation.test.ts runs them over the in-memory table, which passes the DynamoDB
    // adapter's contract; moto's threaded server does not make concurrent conditional writes atomic.
    const ask = { accountId: pair.accountId, permissionSet: 'Developer', justification: 'OPS-200' };
    const first = API_ROUTES.requestCreate.response.parse((await post('/requests', bob.token, ask)).body);
    expect((await post(`/requests/${first.id}/cancel`, bob.token, {})).status).toBe(200);
    expect(expectError(await post(`/requests/${first.id}/approve`, alice.token, {}), 409, 'conflict')).toContain('cancelled');
    const second = API_ROUTES.requestCreate.response.parse((await post('/requests', bob.token, ask)).body);
    expect((await post(`/requests/${second.id}/approve`, alice.token, {})).status).toBe(200);
    expect(expectError(await post(`/requests/${second.id}/cancel`, bob.token, {}), 409, 'conflict')).toContain('active');
  });
});
