import { describe, expect, it } from 'vitest';
import type { Policy } from '../policy/model.ts';
import { policyWith } from '../../test/fixtures/plan.ts';
import { parsePublishedPolicy, serializePublishedPolicy } from './published-policy.ts';

const policy: Policy = {
  accounts: [{ id: '111111111111', name: 'dev', tags: {}, regions: ['eu-west-1'] }],
  permissionSets: [{ name: 'ReadOnly', sessionDurationSeconds: 3600, managedPolicyArns: [], tags: {} }],
  assignments: [{ group: 'Developers', permissionSet: 'ReadOnly', accounts: { all: true } }],
  eligibility: [],
};

const published = (available: unknown) =>
  JSON.parse(
    serializePublishedPolicy({ policy, available: {}, publishedAt: '2026-01-01T00:00:00Z' }).replace(
      '"available":{}',
      `"available":${JSON.stringify(available)}`,
    ),
  );

describe('the published policy', () => {
  it('reads back what it wrote', () => {
    const text = serializePublishedPolicy({
      policy,
      available: { '111111111111': ['ReadOnly'] },
      publishedAt: '2026-01-01T00:00:00Z',
      generation: 'g1',
      runId: 'r1',
    });
    expect(parsePublishedPolicy(JSON.parse(text))).toEqual({
      ok: true,
      published: { policy, available: { '111111111111': ['ReadOnly'] }, publishedAt: '2026-01-01T00:00:00Z', generation: 'g1', runId: 'r1' },
    });
  });

  it('reads a version-1 object (the bare policy) as every pair available', () => {
    expect(parsePublishedPolicy(JSON.parse(JSON.stringify(policy)))).toEqual({ ok: true, published: { policy } });
  });

  it.each([
    ['a key that is not an account id', { dev: ['ReadOnly'] }, 'available.dev: expected a 12-digit account id as the key'],
    ['names that are not a list', { '111111111111': 'ReadOnly' }, 'available.111111111111: expected a list of permission set names'],
    ['a name that is not text', { '111111111111': ['ReadOnly', 7] }, 'available.111111111111: expected a list of permission set names'],
    ['a list in place of the object', [['111111111111', ['ReadOnly']]], 'available: expected an object of account ids'],
  ])('refuses an availability with %s, naming where, never quoting content', (_case, available, where) => {
    const parsed = parsePublishedPolicy(published(available));
    expect(parsed).toEqual({ ok: false, error: `not a valid published policy (${where})` });
  });
});

describe('the published policy', () => {
  it('carries eligibility to the API', () => {
    const policy = policyWith({
      eligibility: [
        {
          group: 'devs',
          permissionSet: 'ReadOnly',
          accounts: { all: true },
          maxDurationSeconds: 3600,
          defaultDurationSeconds: 3600,
          justification: { required: false },
          approval: { kind: 'none' },
          pendingExpirySeconds: 600,
          extensions: { count: 0, durationSeconds: 0 },
          source: 'eligibility.yaml entry 1',
        },
      ],
    });
    const text = serializePublishedPolicy({ policy, available: {}, publishedAt: '2026-01-01T00:00:00.000Z' });
    const parsed = parsePublishedPolicy(JSON.parse(text));
    expect(parsed.ok && parsed.published.policy.eligibility).toEqual(policy.eligibility);
  });

  it('reads a publication from before eligibility existed as offering nothing on request', () => {
    const { eligibility: _none, ...old } = policyWith();
    const parsed = parsePublishedPolicy({ version: 2, publishedAt: '2026-01-01T00:00:00.000Z', available: {}, policy: old });
    expect(parsed.ok && parsed.published.policy.eligibility).toEqual([]);
    const legacy = parsePublishedPolicy(old);
    expect(legacy.ok && legacy.published.policy.eligibility).toEqual([]);
  });
});
