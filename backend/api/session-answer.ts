/** The answer to every way of signing in (and to a refresh): tokens, the person, their entitlements. */
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { Person } from '../../shared/api/person.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { resolveEntitlements } from '../../shared/entitlements.ts';
import { groupsNamedBy } from '../../shared/policy/group-names.ts';
import type { PublishedPolicy } from '../../shared/plan/published-policy.ts';
import { DirectoryUnavailable } from '../auth/directory.ts';
import type { IssuedSession } from '../auth/sessions.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';

/**
 * The person as a session carries them: with only the groups some assignment or eligibility entry names
 * (as requesters or approvers), so the token stays small however many groups the directory has (AD users
 * are often in hundreds), and says no more than the policy needs.
 */
export function sessionPersonOf(published: PublishedPolicy, person: Person): Person {
  const { assignments, eligibility } = published.policy;
  const named = [
    ...assignments.map((assignment) => assignment.group),
    ...eligibility.flatMap((entry) => [entry.group, ...(entry.approval.kind === 'approvers' ? entry.approval.groups : [])]),
  ];
  return { id: person.id, displayName: person.displayName, groups: groupsNamedBy(named, person.groups) };
}

export function sessionBody(published: PublishedPolicy, user: Person, source: SignInMethod, issued: IssuedSession): SessionResponse {
  return {
    token: issued.token,
    expiresAt: issued.expiresAt.toISOString(),
    ...(issued.refreshToken ? { refreshToken: issued.refreshToken } : {}),
    ...(issued.refreshExpiresAt ? { refreshExpiresAt: issued.refreshExpiresAt.toISOString() } : {}),
    source,
    user,
    entitlements: resolveEntitlements(published.policy, user.groups, published.available),
  };
}

/** Runs a call to the directory or the user pool; one that does not answer becomes a 503 (logged, without user data). */
export async function askIdentitySource<T>(deps: ApiDeps, what: string, source: SignInMethod, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DirectoryUnavailable)) throw error;
    const who = source === 'directory' ? 'the directory' : 'the user pool';
    deps.logger.error(`${what} failed: ${who} did not answer`, { reason: error.message });
    const message = source === 'directory' ? 'the company directory did not answer' : 'the single sign-on service (Cognito) did not answer';
    throw new HttpError(503, 'directory_unavailable', `${message}; try again in a minute`);
  }
}
