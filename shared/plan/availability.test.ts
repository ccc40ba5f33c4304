import { describe, expect, it } from 'vitest';
import { availabilityAfterRun, isAvailable } from './availability.ts';
import { emptyAccountReport } from './report.ts';

const wanted = new Map([
  ['111111111111', [pair('Admin'), pair('ReadOnly')]],
  ['222222222222', [pair('Admin'), pair('ReadOnly')]],
  ['333333333333', [pair('Admin'), pair('Developer')]],
]);
function pair(permissionSet: string) {
  return { permissionSet, roleName: `Switchyard-${permissionSet}` };
}

describe('availability after a run', () => {
  it('offers what converged, not what failed or belongs to someone else, and keeps what a failed account had', () => {
    const ok = emptyAccountReport('111111111111');
    const partly = { ...emptyAccountReport('222222222222'), failed: [{ role: 'switchyard-admin', reason: 'LimitExceeded' }] };
    const conflicted = { ...emptyAccountReport('222222222222') };
    const unreachable = { ...emptyAccountReport('333333333333'), error: 'AccessDenied' };
    expect(
      availabilityAfterRun({
        wanted,
        accounts: [ok, { ...partly, conflicts: [{ roleName: 'Switchyard-ReadOnly', reason: 'not managed' }] }, unreachable],
        previous: { '333333333333': ['Admin', 'Gone'] },
      }),
    ).toEqual({ '111111111111': ['Admin', 'ReadOnly'], '333333333333': ['Admin'] });
    expect(availabilityAfterRun({ wanted, accounts: [conflicted, unreachable] })).toEqual({ '222222222222': ['Admin', 'ReadOnly'] });
  });

  it('reads a missing availability as every pair', () => {
    expect(isAvailable(undefined, '111111111111', 'Admin')).toBe(true);
    expect(isAvailable({ '111111111111': ['ReadOnly'] }, '111111111111', 'Admin')).toBe(false);
    expect(isAvailable({}, '111111111111', 'ReadOnly')).toBe(false);
  });
});
