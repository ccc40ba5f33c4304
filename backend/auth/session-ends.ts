/**
 * Why a sign-in ended before its time, and the words the person reads for each reason. A refresh ends
 * the sign-in when the directory or the user pool says so (directoryEndOf); a refresh token used twice
 * and sign-out end it too. docs/sign-in.md has the table of what ends a session and how soon.
 */
import type { DirectoryPerson } from './directory.ts';

export type SessionEndReason =
  /** Signed out (by the person, or by an administrator's sign-out of the session). */
  | 'signed-out'
  /** A refresh token was presented after it had been traded: a copy is in someone else's hands. */
  | 'refresh-reused'
  /** The account now under that name is not the one the sign-in began with (deleted and created again). */
  | 'person-replaced'
  /** The password was set again after the sign-in (a change or a reset). */
  | 'password-changed'
  | 'password-must-change'
  | 'password-expired'
  | 'locked-out'
  /** Disabled, expired or gone from the directory or the user pool. */
  | 'account-unusable'
  /** The user pool would not renew its own tokens: signed out everywhere, revoked, disabled. */
  | 'upstream-refused';

export const SESSION_END_MESSAGES: Readonly<Record<SessionEndReason, string>> = {
  'signed-out': 'you signed out: sign in again',
  'refresh-reused': 'your sign-in was ended because one of its refresh tokens was used twice (a copy of it may be in other hands): sign in again',
  'person-replaced': 'your sign-in was ended: the account under your name is another account now; sign in again',
  'password-changed': 'your sign-in was ended because your password was changed: sign in again with the new one',
  'password-must-change': 'your sign-in was ended because your password must be changed: change it, then sign in again',
  'password-expired': 'your sign-in was ended because your password has expired: change it, then sign in again',
  'locked-out': 'your sign-in was ended because your account is locked: ask your administrator, then sign in again',
  'account-unusable': 'your sign-in was ended because your account is disabled, expired or no longer in the directory',
  'upstream-refused': 'your sign-in was ended by the single sign-on service (signed out everywhere, or your account was disabled): sign in again',
};

/** What a directory sign-in is bound to: the account's id and its password's version at sign-in. */
export interface DirectoryBinding {
  subject: string;
  passwordVersion?: string;
}

/**
 * Whether the person as the directory has them now ends a sign-in bound to `binding`: undefined when it
 * may go on. `now` is null when the account is gone, disabled or expired.
 */
export function directoryEndOf(binding: DirectoryBinding, now: DirectoryPerson | null): SessionEndReason | undefined {
  if (!now) return 'account-unusable';
  if (now.directoryId !== binding.subject) return 'person-replaced';
  if (now.standing.lockedOut) return 'locked-out';
  if (now.standing.mustChangePassword) return 'password-must-change';
  if (now.standing.passwordExpired) return 'password-expired';
  if (binding.passwordVersion !== now.standing.passwordVersion) return 'password-changed';
  return undefined;
}
