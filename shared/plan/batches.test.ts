import { describe, expect, it } from 'vitest';
import { BatchMessageSchema, combineBatches, failedBatchOutcome, needsBatches, splitIntoBatches, type BatchOutcome } from './batches.ts';
import { emptyAccountReport } from './report.ts';

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => String(100_000_000_000 + from + i));
const guard = (deletions = 0, managedRoles = 0, allowed = true) => ({
  allowed,
  deletions,
  managedRoles,
  maxShare: 0.25,
  ...(allowed ? {} : { reason: 'too many' }),
});
const outcome = (index: number, status: BatchOutcome['status'], accountIds: string[], extra: Partial<BatchOutcome> = {}): BatchOutcome => ({
  index,
  status,
  accounts: accountIds.map((id) => emptyAccountReport(id)),
  deletionGuard: guard(),
  mayHoldRoles: accountIds,
  ...extra,
});

describe('splitIntoBatches', () => {
  it('cuts 7 accounts into 3, 3 and 1, each message naming its run, generation, index and the total', () => {
    const batches = splitIntoBatches({ runId: 'run-1', generation: 'gen-1' }, ids(7), [], 3);
    expect(batches.map((b) => b.accountIds.length)).toEqual([3, 3, 1]);
    expect(batches.map((b) => [b.index, b.batches, b.runId, b.generation])).toEqual([
      [0, 3, 'run-1', 'gen-1'],
      [1, 3, 'run-1', 'gen-1'],
      [2, 3, 'run-1', 'gen-1'],
    ]);
    expect(batches.flatMap((b) => b.accountIds)).toEqual(ids(7));
    for (const batch of batches) expect(BatchMessageSchema.parse(batch)).toEqual(batch);
  });

  it('puts retired accounts after the inventory, marked as retired, each account once', () => {
    const retired = ids(2, 50);
    const batches = splitIntoBatches({ runId: 'r' }, [...ids(3), retired[0] ?? ''], retired, 2);
    expect(batches.map((b) => [b.accountIds, b.retiredAccountIds])).toEqual([
      [ids(2), []],
      [ids(1, 2), [retired[0]]],
      [[], [retired[1]]],
    ]);
    expect(batches[0]).not.toHaveProperty('generation');
  });

  it('refuses a batch size that is not a whole number of at least 1', () => {
    expect(() => splitIntoBatches({ runId: 'r' }, ids(3), [], 0)).toThrow(RangeError);
    expect(() => splitIntoBatches({ runId: 'r' }, ids(3), [], 1.5)).toThrow(RangeError);
  });

  it('splits only when the accounts are more than one batch', () => {
    expect(needsBatches(7, 3)).toBe(true);
    expect(needsBatches(3, 3)).toBe(false);
    expect(needsBatches(10_000, undefined)).toBe(false);
  });
});

describe('BatchMessageSchema', () => {
  it('refuses what is not a batch: a run id that could reach another key, an account id that is not 12 digits', () => {
    const batch = splitIntoBatches({ runId: 'run-1' }, ids(2), [], 5)[0];
    expect(BatchMessageSchema.safeParse({ ...batch, runId: '../report' }).success).toBe(false);
    expect(BatchMessageSchema.safeParse({ ...batch, accountIds: ['12345'] }).success).toBe(false);
  });
});

describe('combineBatches', () => {
  it('is applied when every batch applied, with every account once, in order', () => {
    const whole = combineBatches([outcome(1, 'applied', ids(2, 3)), outcome(0, 'applied', ids(3))], 2);
    expect(whole.status).toBe('applied');
    expect(whole.accounts.map((a) => a.accountId)).toEqual(ids(5));
    expect(whole.mayHoldRoles).toEqual(ids(5));
  });

  it('is partial when a batch failed every attempt, and names each of its accounts with the reason', () => {
    const [first, second] = splitIntoBatches({ runId: 'r' }, ids(5), [], 3);
    if (!first || !second) throw new Error('two batches expected');
    const failed = failedBatchOutcome(second, new Map([[ids(1, 3)[0] ?? '', 'data']]), 0.25);
    const whole = combineBatches([outcome(0, 'applied', first.accountIds), failed], 2);
    expect(whole.status).toBe('partial');
    const broken = whole.accounts.filter((a) => a.error !== undefined);
    expect(broken.map((a) => [a.accountId, a.accountName])).toEqual([
      [ids(1, 3)[0], 'data'],
      [ids(1, 4)[0], undefined],
    ]);
    expect(broken[0]?.error).toMatch(/batch \(2 of 2\) failed every attempt/);
    // Its accounts were not emptied: they may still hold roles.
    expect(whole.mayHoldRoles).toEqual(ids(5));
  });

  it('is refused only when every batch was refused; one refused among applied ones is partial; the verdicts add up', () => {
    const refused = { deletionGuard: guard(5, 6, false) };
    expect(combineBatches([outcome(0, 'refused', ids(1), refused), outcome(1, 'refused', ids(1, 1), refused)], 2).status).toBe('refused');
    const mixed = combineBatches([outcome(0, 'refused', ids(1), refused), outcome(1, 'applied', ids(1, 1), { deletionGuard: guard(1, 10) })], 2);
    expect(mixed.status).toBe('partial');
    expect(mixed.deletionGuard).toEqual({ allowed: false, deletions: 6, managedRoles: 16, maxShare: 0.25, reason: 'too many' });
  });

  it('refuses to make a whole of parts that are missing a batch', () => {
    expect(() => combineBatches([outcome(0, 'applied', ids(1)), outcome(2, 'applied', ids(1, 1))], 3)).toThrow(/batches 2 of 3/);
  });
});
