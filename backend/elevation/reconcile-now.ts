/**
 * Revocation ends live sessions through the reconciler, the only part that writes IAM: the API asks it to
 * run now by creating one small object per revoked grant in the policy bucket (backend/bucket/layout.ts,
 * reconcileRequest), whose creation runs the reconcile Lambda as a commit does. The local stack runs the
 * reconcile in process instead (backend/local/stack.ts).
 */
import { bucketLayout } from '../bucket/layout.ts';
import type { ObjectStore } from '../bucket/object-store.ts';
import type { ElevationRequest } from '../../shared/elevation/request.ts';

export type ReconcileNow = (request: ElevationRequest) => Promise<void>;

export function bucketReconcileRequests(store: Pick<ObjectStore, 'put'>, prefix: string): ReconcileNow {
  const layout = bucketLayout(prefix);
  return async (request) => {
    const body = { reason: 'grant revoked', requestId: request.id, at: request.closed?.at ?? new Date().toISOString() };
    await store.put(layout.reconcileRequest(request.id), JSON.stringify(body), { contentType: 'application/json' });
  };
}
