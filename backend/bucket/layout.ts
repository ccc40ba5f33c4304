/**
 * What lives where in the policy bucket: the one file that says so. Everything sits under the
 * configured prefix ("" or a folder ending in "/"):
 *
 *   <prefix>_switchyard/current.json               the commit: which generation is the policy, each file's SHA-256
 *   <prefix>_switchyard/generations/<id>/<path>    the files of one push; never changed once written
 *   <prefix>_switchyard/lock.json                  held by the running reconcile (conditional put)
 *   <prefix>_switchyard/rerun.json                 "run again on the latest commit" left for the lock holder
 *   <prefix>_switchyard/report.json                the last reconcile report
 *   <prefix>_switchyard/accounts.json              accounts that may hold managed roles (cleanup of retired ones)
 *   <prefix>_switchyard/policy.json                the policy as applied, published for the API
 *   <prefix>_switchyard/runs/<run id>/plan.json    a run split into batches: what each batch reads (the policy, the
 *                                                  revoked grants' denies); removed when the run is whole
 *   <prefix>_switchyard/runs/<run id>/batch-<n>.json  one batch's part of that run's report
 *   <prefix>_switchyard/published/<generation>.json  a copy of each generation's last publication, the newest
 *                                                  PUBLISHED_HISTORY_KEPT kept: `access report --as-of` reads them
 *   <prefix>_switchyard/reports/<date>.csv|.jsonl  the scheduled access report (docs/access-review.md)
 *   <prefix>_switchyard/reconcile-requests/<id>.json  "reconcile now": written by the API when it revokes a grant,
 *                                                  so the reconciler denies its live sessions at once (its
 *                                                  creation runs the bucket Lambda, like a commit)
 *
 * What people do while signed in (sessions, failed sign-ins) is not here: it is in the state table
 * (backend/state/layout.ts).
 * A push uploads a new generation, then writes current.json: only that write makes the files
 * visible, so a reconcile reads one whole push or the previous one, never a mix. The bucket
 * Lambda reacts to current.json and to reconcile requests alone.
 */
/** Past publications kept in `published/`: about a year of weekly pushes. */
export const PUBLISHED_HISTORY_KEPT = 50;

export const CONTROL_FOLDER = '_switchyard/';

export interface BucketLayout {
  prefix: string;
  commit: string;
  generationsFolder: string;
  generationFolder(generation: string): string;
  generationFile(generation: string, path: string): string;
  lock: string;
  rerun: string;
  report: string;
  accountsState: string;
  publishedPolicy: string;
  /** Copies of past publications, one per generation (`access report --as-of`). */
  publishedHistoryFolder: string;
  publishedHistory(generation: string): string;
  /** The scheduled access report's files. */
  reportsFolder: string;
  accessReportFile(date: string, format: 'csv' | 'jsonl'): string;
  /** Elevation: a revoked grant asks for a reconcile run, one object per revocation. */
  reconcileRequestsFolder: string;
  reconcileRequest(requestId: string): string;
  /** A reconcile split into batches (shared/plan/batches.ts): its plan and each batch's part of the report. */
  runsFolder: string;
  runFolder(runId: string): string;
  runPlan(runId: string): string;
  runBatchOutcome(runId: string, index: number): string;
}

/** "" stays ""; "policy" becomes "policy/"; a leading "/" is dropped (S3 keys have none). */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').trim().replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

export function bucketLayout(prefix?: string): BucketLayout {
  const root = `${normalizePrefix(prefix)}${CONTROL_FOLDER}`;
  const generationsFolder = `${root}generations/`;
  return {
    prefix: normalizePrefix(prefix),
    commit: `${root}current.json`,
    generationsFolder,
    generationFolder: (generation) => `${generationsFolder}${generation}/`,
    generationFile: (generation, path) => `${generationsFolder}${generation}/${path}`,
    lock: `${root}lock.json`,
    rerun: `${root}rerun.json`,
    report: `${root}report.json`,
    accountsState: `${root}accounts.json`,
    publishedPolicy: `${root}policy.json`,
    publishedHistoryFolder: `${root}published/`,
    publishedHistory: (generation) => `${root}published/${generation}.json`,
    reportsFolder: `${root}reports/`,
    accessReportFile: (date, format) => `${root}reports/${date}.${format}`,
    reconcileRequestsFolder: `${root}reconcile-requests/`,
    reconcileRequest: (requestId) => `${root}reconcile-requests/${requestId}.json`,
    runsFolder: `${root}runs/`,
    runFolder: (runId) => `${root}runs/${runId}/`,
    runPlan: (runId) => `${root}runs/${runId}/plan.json`,
    runBatchOutcome: (runId, index) => `${root}runs/${runId}/batch-${String(index).padStart(5, '0')}.json`,
  };
}

/** Generation ids sort by time: "20261128T014233123Z-3f9a1c". */
export function newGenerationId(now: Date, random: string): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}

export const GENERATION_ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{6,32}$/;
