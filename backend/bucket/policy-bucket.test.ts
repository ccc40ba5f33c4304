import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../test/helpers/memory-object-store.ts';
import { bucketLayout, newGenerationId, PUBLISHED_HISTORY_KEPT } from './layout.ts';
import { BucketContentError, ConcurrentPush, PolicyBucket } from './policy-bucket.ts';

const files = (entries: Record<string, string>) => Object.entries(entries).map(([path, content]) => ({ path, content }));

describe('policy bucket layout', () => {
  it('puts every object of Switchyard under the prefix, in one control folder', () => {
    const layout = bucketLayout('teams/a');
    expect(layout.commit).toBe('teams/a/_switchyard/current.json');
    expect(layout.publishedPolicy).toBe('teams/a/_switchyard/policy.json');
    expect(layout.generationFile('g1', 'permission-sets/ReadOnly.yaml')).toBe('teams/a/_switchyard/generations/g1/permission-sets/ReadOnly.yaml');
    expect(bucketLayout('').lock).toBe('_switchyard/lock.json');
  });
});

describe('pushes', () => {
  it('are visible only once committed, as a whole', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    expect(await bucket.readCommittedFiles()).toBeUndefined();
    const outcome = await bucket.push(files({ 'accounts.yaml': 'a: 1\n', 'assignments.yaml': 'b: 2\n' }));
    expect(outcome).toMatchObject({ committed: true, added: ['accounts.yaml', 'assignments.yaml'], changed: [], removed: [] });
    const committed = await bucket.readCommittedFiles();
    expect(committed?.files.map(({ path, content }) => ({ path, content }))).toEqual(
      files({ 'accounts.yaml': 'a: 1\n', 'assignments.yaml': 'b: 2\n' }),
    );
    // The commit is written last: every file of the generation exists before it.
    const puts = store.calls.filter((call) => call.startsWith('put '));
    expect(puts.at(-1)).toBe('put _switchyard/current.json');
  });

  it('commit nothing when no file changed, and report added, changed and removed files otherwise', async () => {
    const bucket = new PolicyBucket(new MemoryObjectStore());
    const first = await bucket.push(files({ 'a.yaml': '1', 'b.yaml': '2' }));
    expect(await bucket.push(files({ 'b.yaml': '2', 'a.yaml': '1' }))).toEqual({
      committed: false,
      generation: first.generation,
      reason: 'unchanged',
    });
    expect(await bucket.push(files({ 'a.yaml': 'changed', 'c.yaml': '3' }))).toMatchObject({
      committed: true,
      previous: first.generation,
      added: ['c.yaml'],
      changed: ['a.yaml'],
      removed: ['b.yaml'],
    });
  });

  it('refuse to commit over a push they were not checked against, and leave no files behind', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    await bucket.push(files({ 'a.yaml': '1' }));
    const checkedAgainst = (await bucket.readCommit())?.etag ?? null;
    await bucket.push(files({ 'a.yaml': 'someone else' }));
    await expect(bucket.push(files({ 'a.yaml': 'mine' }), { expectedCommitEtag: checkedAgainst })).rejects.toThrow(ConcurrentPush);
    expect((await bucket.readCommittedFiles())?.files[0]?.content).toBe('someone else');

    // Losing the race at the commit itself: the uploaded generation is removed again.
    const racing = new PolicyBucket(store);
    const generationsBefore = (await store.list('_switchyard/generations/')).length;
    store.beforePut = async (key) => {
      if (!key.startsWith('_switchyard/generations/')) return;
      store.beforePut = undefined;
      await bucket.push(files({ 'a.yaml': 'won the race' }));
    };
    await expect(racing.push(files({ 'a.yaml': 'lost the race' }))).rejects.toThrow(ConcurrentPush);
    expect((await bucket.readCommittedFiles())?.files[0]?.content).toBe('won the race');
    expect((await store.list('_switchyard/generations/')).length).toBe(generationsBefore + 1);
  });

  it('detect a file that does not match its commit', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    const { generation } = await bucket.push(files({ 'a.yaml': '1' }));
    await store.put(bucket.layout.generationFile(generation, 'a.yaml'), 'tampered');
    await expect(bucket.readCommittedFiles()).rejects.toThrow(BucketContentError);
    await store.delete(bucket.layout.generationFile(generation, 'a.yaml'));
    await expect(bucket.readCommittedFiles()).rejects.toThrow(/is missing/);
  });

  it('prune old generations, but never the kept ones or one still uploading', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    store.now = () => new Date('2026-01-01T00:00:00Z');
    const old = await bucket.push(files({ 'a.yaml': 'old' }));
    const kept = await bucket.push(files({ 'a.yaml': 'kept' }));
    store.now = () => new Date('2026-01-01T02:00:00Z');
    const recent = await bucket.push(files({ 'a.yaml': 'recent' }));
    const pruned = await bucket.pruneGenerations([kept.generation], new Date('2026-01-01T01:00:00Z'));
    expect(pruned).toEqual([old.generation]);
    const left = new Set((await store.list(bucket.layout.generationsFolder)).map((o) => o.key.split('/')[2]));
    expect(left).toEqual(new Set([kept.generation, recent.generation]));
  });
});

describe('published policy history', () => {
  it('keeps each generation’s publication, byte for byte, and only the newest PUBLISHED_HISTORY_KEPT', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store, 'teams/a');
    const policy = { accounts: [], permissionSets: [], assignments: [], eligibility: [] };
    const generations = Array.from({ length: PUBLISHED_HISTORY_KEPT + 3 }, (_, i) =>
      newGenerationId(new Date(Date.UTC(2026, 0, 1, 0, i)), `${i}`.padStart(6, '0')),
    );
    for (const generation of generations) await bucket.publishPolicy({ policy, available: {}, generation, publishedAt: '2026-01-01T00:00:00Z' });
    expect(bucket.layout.publishedHistory('g')).toBe('teams/a/_switchyard/published/g.json');
    expect(await bucket.publishedGenerations()).toEqual(generations.slice(3));
    const last = generations.at(-1) ?? '';
    expect(await bucket.readPublicationBytes(last)).toEqual(await bucket.readPublicationBytes());
    expect(await bucket.readPublicationBytes(generations[0])).toBeUndefined();
  });

  it('publishes the policy even when its copy cannot be kept, and says why', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    store.beforePut = async (key) => {
      if (key.startsWith(bucket.layout.publishedHistoryFolder)) throw new Error('AccessDenied');
    };
    const policy = { accounts: [], permissionSets: [], assignments: [], eligibility: [] };
    const generation = newGenerationId(new Date(), 'abcdef');
    expect(await bucket.publishPolicy({ policy, available: {}, generation, publishedAt: '2026-01-01T00:00:00Z' })).toEqual({
      historyProblem: 'AccessDenied',
    });
    expect(await bucket.readPublicationBytes()).toBeDefined();
  });
});

describe('reading a commit', () => {
  it('decodes bytes as the folder reader does: UTF-16 is named, not garbled', async () => {
    const bucket = new PolicyBucket(new MemoryObjectStore());
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'accounts: []\n'].flatMap((char) => [char.charCodeAt(0), 0])]);
    await bucket.push([{ path: 'accounts.yaml', content: '', bytes: utf16 }]);
    const [file] = (await bucket.readCommittedFiles())?.files ?? [];
    expect(file?.textProblem?.message).toMatch(/^file is UTF-16 text; save it as UTF-8/);
  });

  it('does not download what the loader refuses by size or count', async () => {
    const store = new MemoryObjectStore();
    const bucket = new PolicyBucket(store);
    await bucket.push(Array.from({ length: 2001 }, (_, i) => ({ path: `accounts/a${i}.yaml`, content: 'accounts: []\n' })));
    store.calls.length = 0;
    const files = (await bucket.readCommittedFiles())?.files ?? [];
    expect(files).toHaveLength(2001);
    expect(store.calls.filter((call) => call.includes('/generations/'))).toEqual([]);
  });
});
