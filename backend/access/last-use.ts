/**
 * Last use: when each person last opened each (account, permission set) pair, per channel (the console
 * through POST /federate; the command line through a credentials route). The access review reads it.
 *
 * One item per (person, pair) in the state table (backend/state/layout.ts `lastUseKey`). A click is
 * recorded after its answer is known: `record` starts the write and returns at once; a write that fails
 * is logged as an error with who, what and why, never dropped silently. `settled()` waits for every
 * write started, so a Lambda invocation does not end (and freeze) before its write is done.
 */
import { errorText } from '../../shared/error-text.ts';
import type { AppLogger } from '../logging.ts';
import { lastUseKey, lastUsePairOf, lastUsePartition } from '../state/layout.ts';
import { StateConditionFailed, everyItem, type StateItem, type StateTable } from '../state/state-table.ts';

export type UseChannel = 'console' | 'cli';

/** The item's data: the time (ISO 8601, UTC) of the last use in each channel that has been used. */
export type LastUseTimes = Partial<Record<UseChannel, string>>;

export interface PairUse {
  accountId: string;
  permissionSet: string;
  times: LastUseTimes;
}

export interface UseEvent {
  personId: string;
  accountId: string;
  permissionSet: string;
  channel: UseChannel;
  at: Date;
}

export interface LastUseRecorder {
  /** Starts recording one successful click; never throws, never waits. */
  record(use: UseEvent): void;
  /** Resolves once every write started so far has finished (succeeded, or failed and been logged). */
  settled(): Promise<void>;
}

/** Two writers of the same item (two clicks at once) are reconciled by reading again; this many tries. */
const MAX_TRIES = 4;

/** Writes one use into its item, keeping the other channel's time and never moving a time backwards. */
export async function writeUse(table: StateTable, use: UseEvent): Promise<void> {
  const key = lastUseKey(use.personId, use.accountId, use.permissionSet);
  const at = use.at.toISOString();
  for (let attempt = 1; ; attempt++) {
    const current = await table.get<LastUseTimes>(key);
    const before = current?.data[use.channel];
    if (before !== undefined && before >= at) return;
    const data: LastUseTimes = { ...current?.data, [use.channel]: at };
    try {
      await table.put({ ...key, data }, current ? { kind: 'version', version: current.version } : { kind: 'absent' });
      return;
    } catch (error) {
      if (!(error instanceof StateConditionFailed) || attempt >= MAX_TRIES) throw error;
    }
  }
}

export function stateLastUseRecorder(table: StateTable, logger: AppLogger): LastUseRecorder {
  const pending = new Set<Promise<void>>();
  return {
    record(use) {
      const write = writeUse(table, use)
        .catch((error: unknown) => {
          logger.error('last use not recorded', {
            user: use.personId,
            accountId: use.accountId,
            permissionSet: use.permissionSet,
            channel: use.channel,
            at: use.at.toISOString(),
            reason: errorText(error),
          });
        })
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Every pair one person has used, with the times, read page by page. */
export async function* lastUsesOf(table: StateTable, personId: string): AsyncGenerator<PairUse> {
  for await (const item of everyItem<LastUseTimes>(table, lastUsePartition(personId))) yield pairUseOf(item);
}

function pairUseOf(item: StateItem<LastUseTimes>): PairUse {
  return { ...lastUsePairOf(item.sk), times: { ...item.data } };
}
