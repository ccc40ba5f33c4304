/**
 * The policy bucket as one port: the committed policy files, atomic pushes, the reconcile's lock
 * and rerun marker, its report and accounts state, and the policy published for the API. Keys come
 * from layout.ts; storage from an ObjectStore (S3 in production, memory in unit tests).
 */
import { createHash, randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { ReconcileReport } from '../../shared/plan/report.ts';
import type { Availability } from '../../shared/plan/availability.ts';
import { parsePublishedPolicy, serializePublishedPolicy, type PublishedPolicy } from '../../shared/plan/published-policy.ts';
import type { BatchOutcome } from '../../shared/plan/batches.ts';
import type { DeletionGuardVerdict } from '../../shared/plan/deletion-guard.ts';
import type { RoleRevocation } from '../../shared/plan/revocations.ts';
import type { Problem } from '../../shared/policy/problem.ts';
import { decodePolicyFile } from '../../shared/policy/decode-policy-file.ts';
import { filesToRead } from '../../shared/policy/file-set.ts';
import { MAX_FILES } from '../../shared/policy/limits.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';
import { bucketLayout, GENERATION_ID_PATTERN, newGenerationId, PUBLISHED_HISTORY_KEPT, type BucketLayout } from './layout.ts';
import { BucketLock } from './lock.ts';
import { BucketContentError, ConditionFailed, type ObjectStore } from './object-store.ts';
import { PublishedPolicyReader } from './published-policy-reader.ts';
import { errorText } from '../../shared/error-text.ts';

export { BucketContentError } from './object-store.ts';

const CommitSchema = z.object({
  version: z.literal(1),
  generation: z.string().regex(GENERATION_ID_PATTERN),
  committedAt: z.string(),
  committedBy: z.string().optional(),
  files: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
export type Commit = z.infer<typeof CommitSchema>;

export interface CommittedFiles {
  generation: string;
  commit: Commit;
  files: PolicyFile[];
}

export interface PushOptions {
  committedBy?: string;
  now?: Date;
  /** Commit only on top of this commit (its ETag; null: nothing committed yet), the one the push was checked against. */
  expectedCommitEtag?: string | null;
}

export type PushOutcome =
  | { committed: false; generation: string; reason: 'unchanged' }
  | { committed: true; generation: string; previous?: string; added: string[]; changed: string[]; removed: string[] };

/** Someone else committed between our read of current.json and our commit. */
export class ConcurrentPush extends Error {
  override readonly name = 'ConcurrentPush';
}

const UPLOAD_CONCURRENCY = 8;

/** What every batch of a run split into batches reads: the run's policy and what the run decided before the split. */
export interface RunPlan {
  runId: string;
  generation?: string;
  startedAt: string;
  batches: number;
  problems: Problem[];
  /** The deletion guard over the whole run, counted against the published policy before it split. */
  deletionGuard: DeletionGuardVerdict;
  /**
   * True when that count decided (a policy was published to count against): batches then do not guard on
   * their own, since a batch of retired accounts deletes all it holds. False: each batch guards its own share.
   */
  guardedByRun: boolean;
  revocations: RoleRevocation[];
  /** The policy the batches apply, with what the previous publication said was available. */
  published: PublishedPolicy & { available: Availability; publishedAt: string };
}

export class PolicyBucket {
  readonly layout: BucketLayout;
  readonly location: string;

  constructor(
    readonly store: ObjectStore,
    prefix = '',
  ) {
    this.layout = bucketLayout(prefix);
    this.location = `${store.description}/${this.layout.prefix}`;
  }

  /** True for the key whose creation means "a push was committed": the only event worth a reconcile. */
  isCommitKey(key: string): boolean {
    return key === this.layout.commit;
  }

  /** Whether an object key is a "reconcile now" left by the API for a revoked grant. */
  isReconcileRequestKey(key: string): boolean {
    return (
      key.startsWith(this.layout.reconcileRequestsFolder) &&
      key.endsWith('.json') &&
      !key.slice(this.layout.reconcileRequestsFolder.length).includes('/')
    );
  }

  async readCommit(): Promise<{ commit: Commit; etag: string } | undefined> {
    const object = await this.store.get(this.layout.commit);
    if (object === undefined || object === 'not-modified') return undefined;
    return { commit: this.parse(this.layout.commit, object.body, CommitSchema), etag: object.etag };
  }

  /** The files of the committed push, each checked against its SHA-256; undefined when nothing was pushed yet. */
  async readCommittedFiles(): Promise<CommittedFiles | undefined> {
    const current = await this.readCommit();
    if (!current) return undefined;
    const { commit } = current;
    const limit = pLimit(UPLOAD_CONCURRENCY);
    // Sizes come from the commit: what the loader would refuse by size or count is not downloaded.
    const listing = commit.files.slice(0, MAX_FILES + 1).map((entry) => ({ path: entry.path, size: entry.bytes }));
    const wanted = filesToRead(listing);
    const files = await Promise.all(
      commit.files.slice(0, MAX_FILES + 1).map((entry) =>
        limit(async (): Promise<PolicyFile> => {
          if (!wanted.has(entry.path)) return { path: entry.path, content: '', size: entry.bytes };
          const key = this.layout.generationFile(commit.generation, entry.path);
          const object = await this.store.get(key);
          if (object === undefined || object === 'not-modified') {
            throw new BucketContentError(`${this.store.description}/${key} is missing: generation ${commit.generation} is incomplete`);
          }
          if (sha256(object.body) !== entry.sha256) {
            throw new BucketContentError(`${this.store.description}/${key} does not match its SHA-256 in ${this.layout.commit}`);
          }
          return decodePolicyFile(entry.path, object.body);
        }),
      ),
    );
    return { generation: commit.generation, commit, files };
  }

  /**
   * Uploads the files as a new generation, then commits it by writing current.json on the
   * condition that nobody else committed since we read it. Identical content commits nothing.
   */
  async push(files: PolicyFile[], options: PushOptions = {}): Promise<PushOutcome> {
    const entries = files
      .map((file) => {
        const bytes = file.bytes ?? new TextEncoder().encode(file.content);
        return { path: file.path, bytes, sha256: sha256(bytes) };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const current = await this.readCommit();
    if (options.expectedCommitEtag !== undefined && (current?.etag ?? null) !== options.expectedCommitEtag) {
      throw new ConcurrentPush(`someone else pushed to ${this.location} after this push was checked; nothing was uploaded — run it again`);
    }
    const before = new Map((current?.commit.files ?? []).map((file) => [file.path, file.sha256]));
    const added = entries.filter((entry) => !before.has(entry.path)).map((entry) => entry.path);
    const changed = entries.filter((entry) => before.has(entry.path) && before.get(entry.path) !== entry.sha256).map((entry) => entry.path);
    const removed = [...before.keys()].filter((path) => !entries.some((entry) => entry.path === path));
    if (current && added.length + changed.length + removed.length === 0) {
      return { committed: false, generation: current.commit.generation, reason: 'unchanged' };
    }

    const now = options.now ?? new Date();
    const generation = newGenerationId(now, randomBytes(4).toString('hex'));
    const limit = pLimit(UPLOAD_CONCURRENCY);
    await Promise.all(
      entries.map((entry) =>
        limit(() => this.store.put(this.layout.generationFile(generation, entry.path), entry.bytes, { contentType: contentType(entry.path) })),
      ),
    );
    const commit: Commit = {
      version: 1,
      generation,
      committedAt: now.toISOString(),
      ...(options.committedBy ? { committedBy: options.committedBy } : {}),
      files: entries.map((entry) => ({ path: entry.path, sha256: entry.sha256, bytes: entry.bytes.length })),
    };
    try {
      await this.store.put(this.layout.commit, `${JSON.stringify(commit, null, 2)}\n`, {
        contentType: 'application/json',
        condition: current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
      });
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      await this.deleteGeneration(generation);
      throw new ConcurrentPush(
        `someone else pushed to ${this.location} while this push was uploading; nothing of this push was committed — run it again`,
      );
    }
    return { committed: true, generation, ...(current ? { previous: current.commit.generation } : {}), added, changed, removed };
  }

  /**
   * Deletes generations other than `keep` whose files are all older than `olderThan` (a push still
   * uploading has recent files and no commit yet). Only the lock holder calls this.
   */
  async pruneGenerations(keep: Iterable<string>, olderThan: Date): Promise<string[]> {
    const kept = new Set(keep);
    const byGeneration = new Map<string, { keys: string[]; newest: number }>();
    for (const object of await this.store.list(this.layout.generationsFolder)) {
      const generation = object.key.slice(this.layout.generationsFolder.length).split('/')[0] ?? '';
      const entry = byGeneration.get(generation) ?? { keys: [], newest: 0 };
      entry.keys.push(object.key);
      entry.newest = Math.max(entry.newest, object.lastModified.getTime());
      byGeneration.set(generation, entry);
    }
    const pruned: string[] = [];
    for (const [generation, entry] of byGeneration) {
      if (kept.has(generation) || entry.newest >= olderThan.getTime()) continue;
      for (const key of entry.keys) await this.store.delete(key);
      pruned.push(generation);
    }
    return pruned;
  }

  lock(ttlMs: number, now?: () => number): BucketLock {
    return new BucketLock({ store: this.store, lockKey: this.layout.lock, rerunKey: this.layout.rerun, ttlMs, now });
  }

  async readReport(): Promise<ReconcileReport | undefined> {
    const object = await this.store.get(this.layout.report);
    if (object === undefined || object === 'not-modified') return undefined;
    return this.parseJson(this.layout.report, object.body) as ReconcileReport;
  }

  async writeReport(report: ReconcileReport): Promise<void> {
    await this.store.put(this.layout.report, `${JSON.stringify(report, null, 2)}\n`, { contentType: 'application/json' });
  }

  /** Account ids that may hold managed roles; an unreadable state is an error the caller decides about. */
  async readAccountsState(): Promise<string[]> {
    const object = await this.store.get(this.layout.accountsState);
    if (object === undefined || object === 'not-modified') return [];
    const state = this.parseJson(this.layout.accountsState, object.body) as { accounts?: unknown };
    return Array.isArray(state.accounts) ? state.accounts.filter((id): id is string => typeof id === 'string' && /^\d{12}$/.test(id)) : [];
  }

  async writeAccountsState(accountIds: string[]): Promise<void> {
    const body = `${JSON.stringify({ accounts: [...accountIds].sort() }, null, 2)}\n`;
    await this.store.put(this.layout.accountsState, body, { contentType: 'application/json' });
  }

  /** Publishes the applied policy and which pairs are known to work, for the API (shared/plan/published-policy.ts). */
  async publishPolicy(published: PublishedPolicy & { available: Availability; publishedAt: string }): Promise<{ historyProblem?: string }> {
    const body = serializePublishedPolicy(published);
    await this.store.put(this.layout.publishedPolicy, body, { contentType: 'application/json' });
    if (published.generation === undefined) return {};
    // Past publications serve `access report --as-of` alone: a failure to keep one costs the API nothing.
    try {
      // The same bytes, so a report on this generation later carries the SHA-256 the API served.
      await this.store.put(this.layout.publishedHistory(published.generation), body, { contentType: 'application/json' });
      const generations = await this.publishedGenerations();
      for (const old of generations.slice(0, Math.max(0, generations.length - PUBLISHED_HISTORY_KEPT))) {
        await this.store.delete(this.layout.publishedHistory(old));
      }
      return {};
    } catch (error) {
      return { historyProblem: errorText(error) };
    }
  }

  /** Generations whose publication is kept in published/, oldest first (their ids sort by time). */
  async publishedGenerations(): Promise<string[]> {
    const folder = this.layout.publishedHistoryFolder;
    return (await this.store.list(folder))
      .map((object) => object.key.slice(folder.length))
      .filter((name) => name.endsWith('.json') && GENERATION_ID_PATTERN.test(name.slice(0, -'.json'.length)))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  }

  /** The bytes of the published policy (or of a kept past publication of `generation`); undefined when absent. */
  async readPublicationBytes(generation?: string): Promise<Uint8Array | undefined> {
    const object = await this.store.get(generation === undefined ? this.layout.publishedPolicy : this.layout.publishedHistory(generation));
    return object === undefined || object === 'not-modified' ? undefined : object.body;
  }

  async writeRunPlan(plan: RunPlan): Promise<void> {
    const { published, ...rest } = plan;
    const body = `{"version":1,${JSON.stringify(rest).slice(1, -1)},"published":${serializePublishedPolicy(published)}}`;
    await this.store.put(this.layout.runPlan(plan.runId), body, { contentType: 'application/json' });
  }

  /** The plan of a run split into batches; undefined once the run is whole (or was never split). */
  async readRunPlan(runId: string): Promise<RunPlan | undefined> {
    const key = this.layout.runPlan(runId);
    const object = await this.store.get(key);
    if (object === undefined || object === 'not-modified') return undefined;
    const json = this.parseJson(key, object.body) as Omit<RunPlan, 'published'> & { published?: unknown };
    const published = parsePublishedPolicy(json.published);
    if (!published.ok || !published.published.available) throw new BucketContentError(`${this.store.description}/${key} is not a valid run plan`);
    const { runId: id, generation, startedAt, batches, problems, deletionGuard, guardedByRun, revocations } = json;
    return {
      runId: id,
      ...(generation !== undefined ? { generation } : {}),
      startedAt,
      batches,
      problems,
      deletionGuard,
      guardedByRun: guardedByRun === true,
      revocations,
      published: { ...published.published, available: published.published.available, publishedAt: published.published.publishedAt ?? startedAt },
    };
  }

  async writeBatchOutcome(runId: string, outcome: BatchOutcome): Promise<void> {
    await this.store.put(this.layout.runBatchOutcome(runId, outcome.index), JSON.stringify(outcome), { contentType: 'application/json' });
  }

  /** Every batch part of a run written so far. */
  async readBatchOutcomes(runId: string): Promise<BatchOutcome[]> {
    const keys = (await this.store.list(this.layout.runFolder(runId))).map((object) => object.key).filter((key) => /\/batch-\d+\.json$/.test(key));
    const limit = pLimit(UPLOAD_CONCURRENCY);
    return Promise.all(
      keys.map((key) =>
        limit(async () => {
          const object = await this.store.get(key);
          if (object === undefined || object === 'not-modified') throw new BucketContentError(`${this.store.description}/${key} is missing`);
          return this.parseJson(key, object.body) as BatchOutcome;
        }),
      ),
    );
  }

  /** Removes every run's plan and parts: the lock holder's, once whole, and those of runs abandoned before. */
  async deleteRuns(): Promise<void> {
    for (const object of await this.store.list(this.layout.runsFolder)) await this.store.delete(object.key);
  }

  /** The published policy; `'not-modified'` when its ETag is still `ifNoneMatch`; undefined when none is published. */
  async readPublishedPolicy(ifNoneMatch?: string): Promise<(PublishedPolicy & { etag: string }) | 'not-modified' | undefined> {
    return new PublishedPolicyReader(this.store, this.layout.prefix).readPublishedPolicy(ifNoneMatch);
  }

  private async deleteGeneration(generation: string): Promise<void> {
    for (const object of await this.store.list(this.layout.generationFolder(generation))) await this.store.delete(object.key);
  }

  private parseJson(key: string, body: Uint8Array): unknown {
    try {
      return JSON.parse(new TextDecoder('utf-8').decode(body)) as unknown;
    } catch {
      throw new BucketContentError(`${this.store.description}/${key} is not valid JSON`);
    }
  }

  private parse<T>(key: string, body: Uint8Array, schema: z.ZodType<T>): T {
    const result = schema.safeParse(this.parseJson(key, body));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new BucketContentError(
        `${this.store.description}/${key} is not a valid commit (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'})`,
      );
    }
    return result.data;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'application/yaml';
  return 'text/plain';
}
