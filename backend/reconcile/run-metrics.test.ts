/** The metrics of a reconcile run: its outcome, failed accounts, changed roles, and the published policy's age. */
import { describe, expect, it } from 'vitest';
import { summarize, type ReconcileReport, type RunStatus } from '../../shared/plan/report.ts';
import { recordingLogger } from '../../test/helpers/recording-logger.ts';
import { RecordingMetrics } from '../metrics/recording-metrics.ts';
import { addRunMetrics } from './run-metrics.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');

function report(status: RunStatus): ReconcileReport {
  const accounts = [
    {
      accountId: '111111111111',
      created: ['A', 'B'],
      updated: [{ role: 'C', fields: ['description' as const] }],
      deleted: ['D'],
      conflicts: [],
      failed: [],
    },
    { accountId: '222222222222', created: [], updated: [], deleted: [], conflicts: [], failed: [], error: 'AccessDenied' },
  ];
  return { version: 1, runId: 'r', mode: 'apply', status, startedAt: '', finishedAt: '', problems: [], accounts, summary: summarize(accounts) };
}

async function metricsOf(status: RunStatus, publishedAt: () => Promise<string | undefined> = () => Promise.resolve('2026-12-07T11:00:00Z')) {
  const metrics = new RecordingMetrics();
  const logger = recordingLogger('test', 'DEBUG');
  await addRunMetrics({ metrics, publishedAt, logger, now: () => NOW }, report(status));
  return { points: metrics.recorded.map(({ metric, value, dimensions }) => [metric, value, dimensions]), logger };
}

describe('a run is counted by how it ended', () => {
  it.each(['applied', 'partial'] as const)('%s: it has just published, so the policy is 0 s old', async (status) => {
    expect((await metricsOf(status)).points).toEqual([
      ['reconcileRuns', 1, { Status: status }],
      ['reconcileAccountsFailed', 1, {}],
      ['reconcileRolesChanged', 4, {}],
      ['publishedPolicyAge', 0, {}],
    ]);
  });

  it.each(['refused', 'invalid'] as const)('%s: it published nothing, so the age is that of the policy in the bucket', async (status) => {
    expect((await metricsOf(status)).points).toEqual([
      ['reconcileRuns', 1, { Status: status }],
      ['reconcileAccountsFailed', 1, {}],
      ['reconcileRolesChanged', 4, {}],
      ['publishedPolicyAge', 3600, {}],
    ]);
  });

  it('deferred: counted, and nothing else (the run holding the lock runs again and reports)', async () => {
    expect((await metricsOf('deferred')).points).toEqual([['reconcileRuns', 1, { Status: 'deferred' }]]);
  });

  it('no policy published yet: no age', async () => {
    expect((await metricsOf('invalid', () => Promise.resolve(undefined))).points.map(([metric]) => metric)).not.toContain('publishedPolicyAge');
  });

  it('a bucket that cannot be read costs the age of this run, and says so; the run is still counted', async () => {
    const { points, logger } = await metricsOf('refused', () => Promise.reject(new Error('AccessDenied')));
    expect(points.map(([metric]) => metric)).toEqual(['reconcileRuns', 'reconcileAccountsFailed', 'reconcileRolesChanged']);
    expect(logger.entries.map((entry) => entry.message)).toEqual(['cannot read when the policy was published; no age this run']);
  });
});
