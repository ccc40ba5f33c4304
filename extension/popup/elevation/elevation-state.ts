/**
 * Elevation as the list shows it: a row that opens only on request is "on request" until the person asks,
 * "pending" while the request waits, and opens normally while its grant lasts. Pure: no zod, no browser.
 */
import type { CompactList, RowElevation } from '../../list-cache/compact-list.ts';

export type ElevationState = { kind: 'on-request' } | { kind: 'pending'; id: string } | { kind: 'active'; id: string; until: string };

/** Where a row stands at `now`: a pending request past its expiry, or a grant past its end, is "on request" again. */
export function elevationState(elevation: RowElevation, now: number): ElevationState {
  const open = elevation.open;
  if (!open || !(Date.parse(open.until) > now)) return { kind: 'on-request' };
  return open.state === 'active' ? { kind: 'active', id: open.id, until: open.until } : { kind: 'pending', id: open.id };
}

/** "<id>:<state>" of each request or grant the list shows as open, sorted (the background answers in the same words). */
export function openRequestKeys(list: CompactList, now: number): string[] {
  const keys: string[] = [];
  for (const elevation of Object.values(list.elevation ?? {})) {
    const state = elevationState(elevation, now);
    if (state.kind !== 'on-request') keys.push(`${state.id}:${state.kind}`);
  }
  return keys.sort();
}

/** Whether the list shows a request waiting for approval (the popup then asks every few seconds). */
export function hasPendingRequest(list: CompactList, now: number): boolean {
  return Object.values(list.elevation ?? {}).some((elevation) => elevationState(elevation, now).kind === 'pending');
}
