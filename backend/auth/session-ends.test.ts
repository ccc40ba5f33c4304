import { describe, expect, it } from 'vitest';
import type { AccountStanding, DirectoryPerson } from './directory.ts';
import { directoryEndOf } from './session-ends.ts';

const fine: AccountStanding = { passwordVersion: '134410638501228270', mustChangePassword: false, passwordExpired: false, lockedOut: false };
const binding = { subject: 'c12498be-b4d4-4ba5-b3b5-cbc103e5104b', passwordVersion: fine.passwordVersion };
const person = (standing: Partial<AccountStanding> = {}, directoryId = binding.subject): DirectoryPerson => ({
  id: 'frank@corp.example.com',
  accountName: 'frank',
  directoryId,
  displayName: 'Frank',
  groups: [],
  standing: { ...fine, ...standing },
});

describe('directoryEndOf', () => {
  it('lets a sign-in go on while the account is the same and in good standing', () => {
    expect(directoryEndOf(binding, person())).toBeUndefined();
  });

  it('ends it for another account under the name, a gone or disabled account, and each standing that forbids signing in', () => {
    expect(directoryEndOf(binding, null)).toBe('account-unusable');
    expect(directoryEndOf(binding, person({}, 'another-guid'))).toBe('person-replaced');
    expect(directoryEndOf(binding, person({ passwordVersion: '134410700000000000' }))).toBe('password-changed');
    expect(directoryEndOf(binding, person({ passwordVersion: '0', mustChangePassword: true, passwordExpired: true }))).toBe('password-must-change');
    expect(directoryEndOf(binding, person({ passwordExpired: true }))).toBe('password-expired');
    expect(directoryEndOf(binding, person({ lockedOut: true }))).toBe('locked-out');
  });

  it('ends a sign-in whose password version was unknown at sign-in once the directory names one, and not before', () => {
    expect(directoryEndOf({ subject: binding.subject }, person({ passwordVersion: undefined }))).toBeUndefined();
    expect(directoryEndOf({ subject: binding.subject }, person())).toBe('password-changed');
  });
});
