import { describe, expect, it } from 'vitest';
import type { Eligible } from '../../../shared/api/entitlements.ts';
import { compactList, expandList, parseCompactList } from '../../list-cache/compact-list-build.ts';
import { elevationOf } from '../../list-cache/compact-list.ts';
import { elevationState, hasPendingRequest, openRequestKeys } from './elevation-state.ts';
import { durationChoices, durationText, extensionChoices, justificationProblem } from './request-rules.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const rule: Eligible = {
  maxDurationSeconds: 7200,
  defaultDurationSeconds: 3600,
  justification: { required: true, pattern: '^[A-Z]+-\\d+', example: 'OPS-123' },
  approval: { kind: 'approvers', groups: ['Platform-Admins'], count: 1, distinctGroups: false },
  pendingExpirySeconds: 86400,
  extensions: { count: 1, durationSeconds: 1800 },
};
const base = { accountId: '111111111111', accountName: 'payments-prod', regions: ['eu-west-1'], sessionDurationSeconds: 3600 };
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('elevation in the list', () => {
  it('keeps the rule and the open request of eligible rows only, by row', () => {
    const list = compactList([
      { ...base, permissionSet: 'ReadOnly' },
      { ...base, permissionSet: 'Developer', eligible: rule, openRequest: { id: 'aaaaaaaaaaaaaaaa', state: 'pending', until: at(60_000) } },
    ]);
    expect(elevationOf(list, 0)).toBeUndefined();
    expect(elevationOf(list, 1)).toEqual({ rule, open: { id: 'aaaaaaaaaaaaaaaa', state: 'pending', until: at(60_000) } });
    expect(hasPendingRequest(list, NOW)).toBe(true);
    expect(openRequestKeys(list, NOW)).toEqual(['aaaaaaaaaaaaaaaa:pending']);
    // Stored and read back (the background's cache), the entitlements come back whole.
    const stored = parseCompactList(JSON.parse(JSON.stringify(list)));
    expect(stored && expandList(stored)[1]).toMatchObject({ eligible: rule, openRequest: { state: 'pending' } });
    // The request's expiry passed: on request again, nothing to wait for.
    expect(hasPendingRequest(list, NOW + 60_000)).toBe(false);
  });

  it('is on request, pending, or granted until the grant ends', () => {
    expect(elevationState({ rule }, NOW)).toEqual({ kind: 'on-request' });
    expect(elevationState({ rule, open: { id: 'a', state: 'pending', until: at(1000) } }, NOW)).toEqual({ kind: 'pending', id: 'a' });
    expect(elevationState({ rule, open: { id: 'a', state: 'active', until: at(1000) } }, NOW)).toEqual({ kind: 'active', id: 'a', until: at(1000) });
    expect(elevationState({ rule, open: { id: 'a', state: 'active', until: at(0) } }, NOW)).toEqual({ kind: 'on-request' });
  });

  it("offers durations up to the rule's maximum, its default among them", () => {
    expect(durationChoices(rule)).toEqual([900, 1800, 3600, 7200]);
    expect(durationChoices({ ...rule, maxDurationSeconds: 5400, defaultDurationSeconds: 2700 })).toEqual([900, 1800, 2700, 3600, 5400]);
    expect(durationText(5400)).toBe('1 h 30 min');
    expect(durationText(7200)).toBe('2 h');
    expect(durationText(900)).toBe('15 min');
  });

  it("offers extensions up to the rule's length of one, that length first, and none when the rule allows none", () => {
    expect(extensionChoices(rule)).toEqual([1800, 900]);
    expect(extensionChoices({ ...rule, extensions: { count: 2, durationSeconds: 5400 } })).toEqual([5400, 3600, 1800, 900]);
    expect(extensionChoices({ ...rule, extensions: { count: 0, durationSeconds: 1800 } })).toEqual([]);
  });

  it("checks the justification against the rule's pattern, naming the example", () => {
    expect(justificationProblem(rule, '  ')).toBe('A justification is required (for example OPS-123).');
    expect(justificationProblem(rule, 'because')).toContain('must match ^[A-Z]+-\\d+');
    expect(justificationProblem(rule, 'OPS-9 hotfix')).toBeUndefined();
    expect(justificationProblem({ ...rule, justification: { required: false } }, '')).toBeUndefined();
  });
});
