import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE_NAME_TEMPLATE, profileName, templateProblem } from './profile-names.ts';

const parts = { accountName: 'payments dev', accountId: '111111111111', permissionSet: 'Developer' };

describe('profile names', () => {
  it('fill the template, with characters a profile name should not hold made -', () => {
    expect(profileName(DEFAULT_PROFILE_NAME_TEMPLATE, parts)).toBe('payments-dev/Developer');
    expect(profileName('sy-<account-id>-<permission-set>', parts)).toBe('sy-111111111111-Developer');
    expect(profileName('<account-name>[<permission-set>]', parts)).toBe('payments-dev-Developer-');
  });

  it('refuse a template that names an unknown placeholder, or not the account and the permission set', () => {
    expect(templateProblem(DEFAULT_PROFILE_NAME_TEMPLATE)).toBeUndefined();
    expect(templateProblem('<account>/<permission-set>')).toMatch(/<account> is not a placeholder/);
    expect(templateProblem('<permission-set>')).toMatch(/must name the account/);
    expect(templateProblem('<account-id>')).toMatch(/must name the permission set/);
  });
});
