/**
 * Elevation, measured (`npm run bench -- elevation`) against the local stack (moto, the reconciled demo
 * policy, the federation stand-in, the reconciler run in process on a revocation, as `npm start` does):
 *   1. request -> approve -> first console click: bob asks for Developer in payments-prod, alice approves,
 *      bob's click answers with a sign-in link; the time from bob's request to that answer, per round;
 *   2. revocation -> deny landed: alice revokes, and the time until the role's inline policy in the member
 *      account holds a deny of bob's sessions issued before that revocation (read with IAM as the
 *      reconciler's access role).
 * Each round ends with the revocation, so the next one starts with the pair free again.
 * `npx tsx test/bench/elevation.ts` runs it alone.
 */
import { pathToFileURL } from 'node:url';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { API_ROUTES } from '../../shared/api/routes.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { decodePolicyDocument } from '../../shared/iam/policy-document.ts';
import { revocationsIn } from '../../shared/iam/revoked-sessions.ts';
import { assembleMemberAccountClients } from '../../backend/assemble/reconciler.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import { iamClientForAccount } from '../../backend/reconcile/account-access.ts';

const ROUNDS = 12;
const WARM_UP_ROUNDS = 2;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const round = (value: number) => Math.round(value * 10) / 10;

export async function run(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack({ apiPort: 0, logLevel: 'SILENT' });
  try {
    const call = async (path: string, token: string | undefined, json?: unknown): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      return { status: response.status, body: await response.json() };
    };
    const signIn = async (username: string): Promise<SessionResponse> => {
      const answer = await call('/session', undefined, { username, password: `${username}-demo-password` });
      if (answer.status !== 200) throw new Error(`sign-in answered HTTP ${answer.status}`);
      return answer.body as SessionResponse;
    };
    const prod = stack.accountIds.get('payments-prod') ?? '';
    const iam = await iamClientForAccount(
      { clients: assembleMemberAccountClients(stack.moto.settings, 10), accessRoleName: 'SwitchyardReconcilerAccess', partition: 'aws' },
      prod,
    );
    const denyFrom = async (): Promise<number> => {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: 'Switchyard-Developer', PolicyName: 'switchyard-inline' }));
      const revocation = revocationsIn(decodePolicyDocument(PolicyDocument ?? '{}')).find((entry) => entry.sessionName === 'bob@corp.example.com');
      return revocation ? Date.parse(revocation.revokedAt) : 0;
    };
    const [bob, alice] = [await signIn('bob'), await signIn('alice')];

    const toClick: number[] = [];
    const toDeny: number[] = [];
    for (let i = 0; i < WARM_UP_ROUNDS + ROUNDS; i++) {
      const started = performance.now();
      const asked = await call('/requests', bob.token, { accountId: prod, permissionSet: 'Developer', justification: `OPS-${i + 1}` });
      if (asked.status !== 201 && asked.status !== 200) throw new Error(`the request answered HTTP ${asked.status}: ${JSON.stringify(asked.body)}`);
      const { id } = API_ROUTES.requestCreate.response.parse(asked.body);
      const approved = await call(`/requests/${id}/approve`, alice.token, { reason: 'bench' });
      if (approved.status !== 200) throw new Error(`the approval answered HTTP ${approved.status}`);
      const click = await call('/federate', bob.token, { accountId: prod, permissionSet: 'Developer' });
      if (click.status !== 200) throw new Error(`the click answered HTTP ${click.status}`);
      const clicked = performance.now() - started;

      const revokedAt = performance.now();
      const revoked = API_ROUTES.requestRevoke.response.parse((await call(`/requests/${id}/revoke`, alice.token, { reason: 'bench' })).body);
      const closedAt = Date.parse(revoked.closed?.at ?? '');
      const deadline = Date.now() + 60_000;
      while ((await denyFrom()) < closedAt) {
        if (Date.now() > deadline) throw new Error('the deny did not land within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const landed = performance.now() - revokedAt;
      if (i >= WARM_UP_ROUNDS) {
        toClick.push(clicked);
        toDeny.push(landed);
      }
    }

    const figures = {
      rounds: ROUNDS,
      requestToFirstClickMs: { median: round(percentile(toClick, 50)), p95: round(percentile(toClick, 95)), max: round(Math.max(...toClick)) },
      revocationToDenyLandedMs: { median: round(percentile(toDeny, 50)), p95: round(percentile(toDeny, 95)), max: round(Math.max(...toDeny)) },
    };
    console.log(`elevation bench: ${ROUNDS} rounds against the local stack (moto)`);
    console.log(
      `  request -> approve -> first click:  median ${figures.requestToFirstClickMs.median} ms, p95 ${figures.requestToFirstClickMs.p95} ms, max ${figures.requestToFirstClickMs.max} ms (goal: 5,000 ms)`,
    );
    console.log(
      `  revocation -> deny in the role:     median ${figures.revocationToDenyLandedMs.median} ms, p95 ${figures.revocationToDenyLandedMs.p95} ms, max ${figures.revocationToDenyLandedMs.max} ms`,
    );
    return figures;
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
