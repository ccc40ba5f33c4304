/**
 * The metrics of one reconcile run, added by the reconcile Lambda when the run ends (metric-definitions.ts).
 *
 * The age of the published policy is emitted here, at every run, rather than by the API when it reads the
 * policy: the reconcile runs on the drift-repair schedule whether or not anybody signs in, so the age has a
 * data point every run; the API reads the policy only when people use it (nothing at night, every few
 * seconds at nine), and reads the very object this run just wrote or found.
 */
import type { ReconcileReport } from '../../shared/plan/report.ts';
import { errorText } from '../../shared/error-text.ts';
import type { AppLogger } from '../logging.ts';
import type { Metrics } from '../metrics/metrics.ts';

export interface RunMetricsDeps {
  metrics: Metrics;
  /** When the policy the API serves was published; undefined when none has been. */
  publishedAt: () => Promise<string | undefined>;
  logger?: AppLogger;
  now?: () => number;
}

export async function addRunMetrics(deps: RunMetricsDeps, report: ReconcileReport): Promise<void> {
  const { metrics } = deps;
  const status = report.status;
  if (status === 'planned') return;
  metrics.add('reconcileRuns', 1, { Status: status });
  // A deferred run did nothing: the run holding the lock runs again and counts for both.
  if (status === 'deferred') return;
  metrics.add('reconcileAccountsFailed', report.summary.failedAccounts, {});
  metrics.add('reconcileRolesChanged', report.summary.created + report.summary.updated + report.summary.deleted, {});
  // An applied or partial run has just published its policy (run.ts).
  if (status === 'applied' || status === 'partial') {
    metrics.add('publishedPolicyAge', 0, {});
    return;
  }
  try {
    const publishedAt = await deps.publishedAt();
    if (publishedAt === undefined) return;
    const ageSeconds = Math.max(0, Math.round(((deps.now ?? Date.now)() - Date.parse(publishedAt)) / 1000));
    metrics.add('publishedPolicyAge', ageSeconds, {});
  } catch (error) {
    deps.logger?.warn('cannot read when the policy was published; no age this run', { reason: errorText(error) });
  }
}
