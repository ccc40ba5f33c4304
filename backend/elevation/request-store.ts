/**
 * Elevation requests in the state table (keys: backend/state/layout.ts). Every change of a request is a
 * write under the condition that its version is the one read, so of two approvers, or an approval racing a
 * cancel, exactly one wins; the other gets StateConditionFailed and reads again.
 *
 * Items per request:
 *   - the request itself, indexed by its state while pending, active or revoked;
 *   - the pair item of (person, account, permission set), created only if absent: the one open request of
 *     that person for that pair, so a second request for a covered pair is refused naming the first, and
 *     every click finds its grant with two consistent reads;
 *   - a small item in the requester's partition, for "my requests".
 * Every item ends by time to live: the request `retentionSeconds` after it settled, the pair item when
 * the request stops holding the pair.
 */
import { isOpen, openUntil, settled, settledAt, type ElevationRequest } from '../../shared/elevation/request.ts';
import {
  elevationPairKey,
  elevationPairPartition,
  elevationRequesterKey,
  elevationRequesterPartition,
  elevationRequestKey,
  elevationStateIndex,
  elevationStatePartition,
} from '../state/layout.ts';
import { StateConditionFailed, allItems, type StateItem, type StateTable } from '../state/state-table.ts';

export interface StoredRequest {
  request: ElevationRequest;
  version: number;
}

interface PairData {
  requestId: string;
}

interface RequesterData {
  requestId: string;
}

/** A second request for a pair the person already has open. */
export class PairAlreadyOpen extends Error {
  override readonly name = 'PairAlreadyOpen';
  constructor(readonly existing: ElevationRequest) {
    super(`request ${existing.id} for this pair is already ${existing.state}`);
  }
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

export class RequestStore {
  constructor(
    private readonly table: StateTable,
    /** How long a settled request stays readable (its history for people, and revocations for the reconciler). */
    private readonly retentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(requestId: string): Promise<StoredRequest | undefined> {
    const item = await this.table.get<ElevationRequest>(elevationRequestKey(requestId));
    return item ? { request: item.data, version: item.version } : undefined;
  }

  /** Saves a new request; PairAlreadyOpen when the person has an open request for the pair. */
  async create(request: ElevationRequest, ruleLongestSeconds: number): Promise<StoredRequest> {
    await this.claimPair(request);
    let written: StateItem<ElevationRequest>;
    try {
      written = await this.table.put(this.requestItem(request), { kind: 'absent' });
    } catch (error) {
      await this.releasePair(request).catch(() => undefined);
      throw error;
    }
    // The person's list: kept at least as long as the request can be.
    const lastPossible = Date.parse(request.pendingExpiresAt) + ruleLongestSeconds * 1000;
    await this.table.put<RequesterData>(
      {
        ...elevationRequesterKey(request.requester.id, request.createdAt, request.id),
        expiresAt: seconds(lastPossible) + this.retentionSeconds,
        data: { requestId: request.id },
      },
      { kind: 'any' },
    );
    return { request: written.data, version: written.version };
  }

  /** Writes a change of a request read at `version`; StateConditionFailed when somebody wrote since. */
  async save(next: ElevationRequest, version: number): Promise<StoredRequest> {
    const written = await this.table.put(this.requestItem(next), { kind: 'version', version });
    if (isOpen(next, this.now())) await this.holdPair(next);
    else await this.releasePair(next);
    return { request: written.data, version: written.version };
  }

  /** The person's open request for the pair, read consistently (a click checks its grant with it). */
  async openFor(personId: string, accountId: string, permissionSet: string): Promise<StoredRequest | undefined> {
    const pair = await this.table.get<PairData>(elevationPairKey(personId, accountId, permissionSet));
    if (!pair) return undefined;
    const found = await this.get(pair.data.requestId);
    return found && isOpen(found.request, this.now()) ? found : undefined;
  }

  /**
   * The person's open requests, whatever the number of pairs they may ask for: one query of their pair
   * items (only held pairs have one) and a read of each request named there.
   */
  async openOf(personId: string): Promise<StoredRequest[]> {
    const pairs = await allItems<PairData>(this.table, elevationPairPartition(personId));
    const found = await Promise.all(pairs.map((item) => this.get(item.data.requestId)));
    return found.filter((entry): entry is StoredRequest => entry !== undefined && isOpen(entry.request, this.now()));
  }

  /** The person's requests, newest first, at most `limit`. */
  async mine(personId: string, limit = 50): Promise<StoredRequest[]> {
    const asked = await allItems<RequesterData>(this.table, elevationRequesterPartition(personId));
    const newest = asked.reverse().slice(0, limit);
    const found = await Promise.all(newest.map((item) => this.get(item.data.requestId)));
    return found.filter((entry): entry is StoredRequest => entry !== undefined);
  }

  /** Requests last written in this state (the index is eventually consistent: check each one's state). */
  async inState(state: 'pending' | 'active' | 'revoked'): Promise<StoredRequest[]> {
    const items = await allItems<ElevationRequest>(this.table, elevationStatePartition(state), { index: true });
    return items.map((item) => ({ request: item.data, version: item.version }));
  }

  /**
   * Writes the time-driven state of a request whose time has passed (pending -> expired, active -> ended),
   * so it leaves the state index; a lost race means somebody else wrote it, which is as good.
   */
  async settle(stored: StoredRequest): Promise<StoredRequest> {
    const next = settled(stored.request, this.now());
    if (next === stored.request) return stored;
    try {
      return await this.save(next, stored.version);
    } catch (error) {
      if (error instanceof StateConditionFailed) return (await this.get(stored.request.id)) ?? { ...stored, request: next };
      throw error;
    }
  }

  private requestItem(request: ElevationRequest) {
    const indexed = request.state === 'pending' || request.state === 'active' || request.state === 'revoked' ? request.state : undefined;
    return {
      ...elevationRequestKey(request.id),
      // Until it settles the request is kept whole; then for the retention.
      expiresAt: seconds(settledAt(request)) + this.retentionSeconds,
      ...(indexed ? { index: elevationStateIndex(indexed, request.createdAt, request.id) } : {}),
      data: plain(request),
    };
  }

  /** Takes the pair for a new request: absent, or held by a request that is no longer open. */
  private async claimPair(request: ElevationRequest): Promise<void> {
    const key = elevationPairKey(request.requester.id, request.accountId, request.permissionSet);
    const item = { ...key, expiresAt: seconds(openUntil(request) ?? this.now()), data: { requestId: request.id } };
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.table.get<PairData>(key);
      if (!current) {
        try {
          await this.table.put<PairData>(item, { kind: 'absent' });
          return;
        } catch (error) {
          if (error instanceof StateConditionFailed) continue;
          throw error;
        }
      }
      const holder = await this.get(current.data.requestId);
      if (holder && isOpen(holder.request, this.now())) throw new PairAlreadyOpen(settled(holder.request, this.now()));
      try {
        await this.table.put<PairData>(item, { kind: 'version', version: current.version });
        return;
      } catch (error) {
        if (!(error instanceof StateConditionFailed)) throw error;
      }
    }
    throw new StateConditionFailed(key);
  }

  /** An open request keeps its pair until it stops holding it (an extension moves that later). */
  private async holdPair(request: ElevationRequest): Promise<void> {
    const key = elevationPairKey(request.requester.id, request.accountId, request.permissionSet);
    const current = await this.table.get<PairData>(key);
    const until = openUntil(request);
    if (!current || current.data.requestId !== request.id || until === undefined || current.expiresAt === seconds(until)) return;
    await this.table
      .put<PairData>({ ...key, expiresAt: seconds(until), data: current.data }, { kind: 'version', version: current.version })
      .catch((error: unknown) => {
        if (!(error instanceof StateConditionFailed)) throw error;
      });
  }

  /** A closed request lets go of its pair, unless another request holds it already. */
  private async releasePair(request: ElevationRequest): Promise<void> {
    const key = elevationPairKey(request.requester.id, request.accountId, request.permissionSet);
    const current = await this.table.get<PairData>(key);
    if (!current || current.data.requestId !== request.id) return;
    await this.table.delete(key, { kind: 'version', version: current.version }).catch((error: unknown) => {
      if (!(error instanceof StateConditionFailed)) throw error;
    });
  }
}

/** The record as plain JSON (no undefined fields), as DynamoDB stores it. */
function plain(request: ElevationRequest): ElevationRequest {
  return JSON.parse(JSON.stringify(request)) as ElevationRequest;
}
