import { describe, expect, it } from 'vitest';
import { filesWith } from '../../test/fixtures/policy-files.ts';
import { inPublishedOrder, serializePublishedPolicy } from '../../shared/plan/published-policy.ts';
import { loadPolicy } from '../../shared/policy/load-policy.ts';
import { embeddedGroupMembers } from '../auth/embedded-group-members.ts';
import { MemoryStateTable } from '../state/memory-state-table.ts';
import type { StateTable } from '../state/state-table.ts';
import { writeAccessReport, type AccessReportSources } from './access-report.ts';
import { writeUse } from './last-use.ts';

const PEOPLE = 80;

/** The state table, counting the last-use queries in flight at once; one person's query can be made to fail. */
function watchedTable(table: MemoryStateTable, failFor?: string): StateTable & { mostInFlight: number } {
  let inFlight = 0;
  const watched = Object.create(table) as StateTable & { mostInFlight: number };
  watched.mostInFlight = 0;
  watched.query = async (pk, options) => {
    inFlight++;
    watched.mostInFlight = Math.max(watched.mostInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (failFor !== undefined && pk.includes(encodeURIComponent(failFor))) throw new Error('ProvisionedThroughputExceededException');
      return await table.query(pk, options);
    } finally {
      inFlight--;
    }
  };
  return watched;
}

async function sources(state: StateTable): Promise<AccessReportSources> {
  const loaded = loadPolicy(filesWith());
  if (!loaded.policy) throw new Error('the fixture policy does not load');
  const bytes = new TextEncoder().encode(
    serializePublishedPolicy({
      policy: inPublishedOrder(loaded.policy),
      available: { '111111111111': ['Developer', 'ReadOnly'], '022222222222': ['Developer', 'ReadOnly'] },
      generation: 'g',
      publishedAt: '2026-12-01T00:00:00Z',
    }),
  );
  const users = Array.from({ length: PEOPLE }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    username: `person${i}`,
    displayName: `Person ${i}`,
    passwordHash: 'scrypt$unused',
    groups: ['Developers'],
  }));
  return {
    partition: 'aws',
    location: 'memory/policy.json',
    historyLocation: 'memory/published/',
    publishedPolicy: async () => bytes,
    members: embeddedGroupMembers({ domain: 'corp.example.com', users }),
    state,
  };
}

describe('the access report reads last uses ahead', () => {
  it('several people at once, within a bounded window, and still gives each person their own', async () => {
    const table = new MemoryStateTable();
    for (let i = 0; i < PEOPLE; i++)
      await writeUse(table, {
        personId: `person${i}@corp.example.com`,
        accountId: '111111111111',
        permissionSet: 'Developer',
        channel: 'cli',
        at: new Date(Date.UTC(2026, 10, 1, 0, i)),
      });
    const watched = watchedTable(table);
    let text = '';
    const made = await writeAccessReport(await sources(watched), {
      outputs: [{ format: 'jsonl', write: async (piece) => void (text += piece) }],
      unusedDays: 90,
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(made.people).toBe(PEOPLE);
    expect(watched.mostInFlight).toBeGreaterThan(1);
    expect(watched.mostInFlight).toBeLessThanOrEqual(32);
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; personId: string; accountId: string; lastCliUse: string })
      .filter((record) => record.type === 'row' && record.accountId === '111111111111');
    expect(rows).toHaveLength(PEOPLE);
    for (const row of rows) {
      const i = Number(/^person(\d+)@/.exec(row.personId)?.[1]);
      expect(row.lastCliUse, row.personId).toBe(new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString());
    }
  });

  it('a query that fails fails the report with its reason, never as an unhandled rejection', async () => {
    const watched = watchedTable(new MemoryStateTable(), 'person70@corp.example.com');
    await expect(
      writeAccessReport(await sources(watched), { outputs: [{ format: 'csv', write: async () => undefined }], unusedDays: 90, now: new Date() }),
    ).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
