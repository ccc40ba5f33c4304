/**
 * What happens to requests, told to whoever must know: the audit log (every change, always) and the
 * notifications (backend/elevation/notifications.ts). One event per change.
 */
import type { ElevationRequest, PersonRef } from '../../shared/elevation/request.ts';

export type ElevationChange =
  /** A request waits for approval. */
  | 'requested'
  /** One approval given; more are needed. */
  | 'approved'
  /** The grant began: the last approval, or a self-service request. */
  | 'granted'
  | 'denied'
  | 'cancelled'
  | 'revoked'
  | 'extended'
  /** Noticed once the time passed: a pending request expired, a grant ended. */
  | 'expired'
  | 'ended';

export interface ElevationEvent {
  change: ElevationChange;
  /** The request after the change. */
  request: ElevationRequest;
  /** Who made the change; absent when Switchyard did (time passing, a push that ended eligibility). */
  actor?: PersonRef;
  at: string;
}

/** Where events go. Never throws: a failing notification must not undo or fail the change it reports. */
export interface ElevationEvents {
  record(event: ElevationEvent): Promise<void>;
}
