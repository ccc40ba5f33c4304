import { describe, expect, it } from 'vitest';
import { policyWith } from '../../test/fixtures/plan.ts';
import { parsePublishedPolicy, serializePublishedPolicy } from './published-policy.ts';

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
