/**
 * Elevation while the popup is closed (docs/elevation.md): while the person has a request waiting for
 * approval, or requests wait for theirs, an alarm wakes the background every half minute to ask the
 * backend (GET /requests for the first, GET /approvals for the second, only what is being waited for).
 * The toolbar badge shows how many requests wait for the person's approval, else how many of their own
 * wait. When one of their requests changed (approved, denied, expired), the cached list is fetched again,
 * so the next popup open draws the granted pair at once. Nothing waits: the alarm is cleared and nothing
 * is asked. What was last heard is kept in storage.session, since the service worker does not live
 * between alarms.
 */
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { RequestView } from '../../shared/api/requests.ts';
import type { ApiClient } from './api-client.ts';
import { ApiFailure } from './api-failure.ts';
import type { EntitlementCache } from './entitlement-cache.ts';
import type { SessionKeeper } from './session-keeper.ts';
import type { KeyValueArea } from './storage-area.ts';

export const WATCH_KEY = 'elevationWatch';
export const WATCH_ALARM = 'elevation-watch';
/** How long a count of requests to approve is taken as it is when the popup opens, rather than asked again. */
export const APPROVALS_FRESH_MS = 60_000;

export interface WatchState {
  userId: string;
  /** "<id>:<state>" of the person's pending requests and active grants, as last heard, sorted. */
  open: string[];
  /** How many requests waited for the person's approval, as last heard, and when that was asked (ms). */
  toApprove: number;
  approvalsAt: number;
}

export interface ToolbarBadge {
  text: string;
  color: string;
  title: string;
}

export interface ElevationWatchDeps {
  area: KeyValueArea;
  api: ApiClient;
  cache: EntitlementCache;
  keeper: SessionKeeper;
  /** Fetches the list into the cache (GET /entitlements). */
  refreshList(): Promise<unknown>;
  /** The browser's toolbar button. */
  showBadge(badge: ToolbarBadge): Promise<void>;
  /** The periodic alarm: started when something waits (a running one is left as it is), cleared when nothing does. */
  alarm: { start(): Promise<void>; stop(): Promise<void> };
  now: () => number;
}

export interface ElevationWatch {
  /** A list was fetched for the person: its open requests are what is now known of theirs. */
  listFetched(userId: string, entitlements: Entitlement[]): Promise<void>;
  /** The requests waiting for the person's approval were just listed. */
  toApproveListed(userId: string, count: number): Promise<void>;
  /** How many wait for the person's approval: as last heard when that was recent, else asked. */
  toApproveCount(): Promise<number>;
  /** The alarm fired: ask what is being waited for, refresh the list when the person's requests changed. */
  tick(): Promise<void>;
  /** Signed out: nothing to watch. */
  stop(): Promise<void>;
}

/** "<id>:<state>" of the open requests a list shows (pending, or granted and not yet ended at `now`), sorted. */
export function openRequestsOfList(entitlements: Entitlement[], now: number): string[] {
  return entitlements
    .flatMap(({ openRequest }) => (openRequest && Date.parse(openRequest.until) > now ? [`${openRequest.id}:${openRequest.state}`] : []))
    .sort();
}

/** "<id>:<state>" of the person's pending requests and active grants, sorted. */
export function openRequestsOf(requests: RequestView[]): string[] {
  return requests
    .filter((request) => request.state === 'pending' || request.state === 'active')
    .map((request) => `${request.id}:${request.state}`)
    .sort();
}

const pendingIn = (open: string[]) => open.filter((key) => key.endsWith(':pending')).length;

/** What the toolbar button shows: requests to approve first (amber), else the person's own waiting (grey), else nothing. */
export function badgeOf(state: WatchState | undefined): ToolbarBadge {
  if (state && state.toApprove > 0) {
    const n = state.toApprove;
    return { text: String(n), color: '#b45309', title: `Switchyard: ${n} request${n === 1 ? '' : 's'} to approve` };
  }
  const pending = state ? pendingIn(state.open) : 0;
  if (pending > 0) {
    return {
      text: String(pending),
      color: '#5f6b7a',
      title: `Switchyard: ${pending === 1 ? 'your request waits' : `${pending} of your requests wait`} for approval`,
    };
  }
  return { text: '', color: '#5f6b7a', title: 'Switchyard' };
}

/** Whether anything is being waited for, so the alarm should run. */
export function isWaiting(state: WatchState | undefined): boolean {
  return !!state && (state.toApprove > 0 || pendingIn(state.open) > 0);
}

export function makeElevationWatch(deps: ElevationWatchDeps): ElevationWatch {
  async function load(userId: string): Promise<WatchState | undefined> {
    const state = (await deps.area.get(WATCH_KEY))[WATCH_KEY] as Partial<WatchState> | undefined;
    // Only this person's, and only whole: anything else is as if nothing had been heard.
    if (state?.userId !== userId || !Array.isArray(state.open) || typeof state.toApprove !== 'number' || typeof state.approvalsAt !== 'number')
      return undefined;
    return state as WatchState;
  }

  async function signedInUser(): Promise<string | undefined> {
    const record = await deps.keeper.record();
    return record.kind === 'active' ? record.session.user.id : undefined;
  }

  /** Keeps what was heard, for the person still signed in only: what a call brings back after a sign-out is dropped. */
  async function settle(state: WatchState): Promise<void> {
    if ((await signedInUser()) !== state.userId) return;
    await deps.area.set({ [WATCH_KEY]: state });
    // A sign-out while this was written: its clearing may have come first.
    if ((await signedInUser()) !== state.userId) return stop();
    await Promise.all([deps.showBadge(badgeOf(state)), isWaiting(state) ? deps.alarm.start() : deps.alarm.stop()]);
  }

  async function stop(): Promise<void> {
    await deps.area.remove(WATCH_KEY);
    await Promise.all([deps.showBadge(badgeOf(undefined)), deps.alarm.stop()]);
  }

  async function askToApprove(userId: string, state: WatchState | undefined): Promise<WatchState> {
    const { requests } = await deps.keeper.withToken((token) => deps.api.requestsToApprove(token));
    return { userId, open: state?.open ?? [], toApprove: requests.length, approvalsAt: deps.now() };
  }

  return {
    async listFetched(userId, entitlements) {
      const state = await load(userId);
      await settle({
        userId,
        open: openRequestsOfList(entitlements, deps.now()),
        toApprove: state?.toApprove ?? 0,
        approvalsAt: state?.approvalsAt ?? 0,
      });
    },

    async toApproveListed(userId, count) {
      const state = await load(userId);
      await settle({ userId, open: state?.open ?? [], toApprove: count, approvalsAt: deps.now() });
    },

    async toApproveCount() {
      const userId = await signedInUser();
      if (!userId) throw new ApiFailure('signed-out', 'Please sign in.');
      const state = await load(userId);
      if (state && deps.now() - state.approvalsAt < APPROVALS_FRESH_MS) return state.toApprove;
      const next = await askToApprove(userId, state);
      await settle(next);
      return next.toApprove;
    },

    async tick() {
      const userId = await signedInUser();
      if (!userId) return stop();
      let state = await load(userId);
      if (!isWaiting(state)) return settle(state ?? { userId, open: [], toApprove: 0, approvalsAt: 0 });
      try {
        if (state && pendingIn(state.open) > 0) {
          const { requests } = await deps.keeper.withToken((token) => deps.api.myRequests(token));
          const open = openRequestsOf(requests);
          const listed = (await deps.cache.load(userId))?.entitlements ?? [];
          if (open.join() !== openRequestsOfList(listed, deps.now()).join()) await deps.refreshList();
          state = { ...state, open };
        }
        if (state && state.toApprove > 0) state = await askToApprove(userId, state);
      } catch (error) {
        // Offline or a failing backend: try again at the next alarm. A session that ended: nothing to watch.
        if (error instanceof ApiFailure && (error.kind === 'signed-out' || error.kind === 'expired')) return stop();
        if (!(error instanceof ApiFailure)) throw error;
        return;
      }
      if (state) await settle(state);
    },

    stop,
  };
}
