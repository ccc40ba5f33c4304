import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../../test/helpers/recording-logger.ts';
import { lastUseKey } from '../state/layout.ts';
import { MemoryStateTable } from '../state/memory-state-table.ts';
import type { StateTable } from '../state/state-table.ts';
import { lastUsesOf, stateLastUseRecorder, writeUse, type LastUseTimes, type UseEvent } from './last-use.ts';

const use = (channel: UseEvent['channel'], iso: string, permissionSet = 'Developer'): UseEvent => ({
  personId: 'alice#1',
  accountId: '111111111111',
  permissionSet,
  channel,
  at: new Date(iso),
});

describe('last use', () => {
  it('keeps one item per person and pair, with each channel’s latest time', async () => {
    const table = new MemoryStateTable();
    await writeUse(table, use('console', '2026-01-02T00:00:00Z'));
    await writeUse(table, use('cli', '2026-01-03T00:00:00Z'));
    await writeUse(table, use('console', '2026-01-01T00:00:00Z'));
    const item = await table.get<LastUseTimes>(lastUseKey('alice#1', '111111111111', 'Developer'));
    expect(item?.data).toEqual({ console: '2026-01-02T00:00:00.000Z', cli: '2026-01-03T00:00:00.000Z' });
    await writeUse(table, use('console', '2026-02-01T00:00:00Z', 'ReadOnly'));
    const all = [];
    for await (const pair of lastUsesOf(table, 'alice#1')) all.push(pair);
    expect(all).toEqual([
      { accountId: '111111111111', permissionSet: 'Developer', times: { console: '2026-01-02T00:00:00.000Z', cli: '2026-01-03T00:00:00.000Z' } },
      { accountId: '111111111111', permissionSet: 'ReadOnly', times: { console: '2026-02-01T00:00:00.000Z' } },
    ]);
  });

  it('loses neither of two clicks written at once', async () => {
    const table = new MemoryStateTable();
    await Promise.all([writeUse(table, use('console', '2026-01-02T00:00:00Z')), writeUse(table, use('cli', '2026-01-02T00:00:01Z'))]);
    const item = await table.get<LastUseTimes>(lastUseKey('alice#1', '111111111111', 'Developer'));
    expect(item?.data).toEqual({ console: '2026-01-02T00:00:00.000Z', cli: '2026-01-02T00:00:01.000Z' });
  });

  it('records without waiting, and logs a failed write with who and what instead of throwing', async () => {
    const broken: StateTable = Object.assign(new MemoryStateTable(), {
      get: () => Promise.reject(new Error('the table is gone')),
    });
    const logger = recordingLogger();
    const recorder = stateLastUseRecorder(broken, logger);
    expect(recorder.record(use('console', '2026-01-02T00:00:00Z'))).toBeUndefined();
    expect(logger.entries).toEqual([]);
    await recorder.settled();
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'last use not recorded',
        fields: expect.objectContaining({
          user: 'alice#1',
          accountId: '111111111111',
          permissionSet: 'Developer',
          channel: 'console',
          reason: expect.stringContaining('the table is gone'),
        }),
      },
    ]);
  });

  it('settles only after every started write is in the table', async () => {
    const table = new MemoryStateTable();
    const recorder = stateLastUseRecorder(table, recordingLogger());
    recorder.record(use('console', '2026-01-02T00:00:00Z'));
    recorder.record(use('console', '2026-01-02T00:00:00Z', 'ReadOnly'));
    await recorder.settled();
    expect((await table.query('last-use#alice%231')).items).toHaveLength(2);
  });
});
