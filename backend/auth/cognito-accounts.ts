/**
 * A user pool's accounts, read with AdminGetUser at each refresh of a Cognito sign-in, beside trading the
 * pool's own refresh token: a refresh does not rely on the pool refusing that token, it asks the account
 * itself. Ends the sign-in when the account is disabled or gone, must set a new password (an
 * administrator's reset), or now belongs to another `sub` (deleted and created again under the same user
 * name).
 */
import { AdminGetUserCommand, UserNotFoundException, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { errorName } from '../../shared/error-text.ts';
import { DirectoryUnavailable } from './directory.ts';
import type { SessionEndReason } from './session-ends.ts';

export interface CognitoAccounts {
  /** Why the account `username` ends a sign-in bound to `subject`, or undefined when it may go on. */
  endOf(username: string, subject: string): Promise<SessionEndReason | undefined>;
}

/** Statuses of a person who signed in and may go on: a pool user, or one signed in through a federated identity provider. */
const USABLE = new Set(['CONFIRMED', 'EXTERNAL_PROVIDER']);
const MUST_SET_PASSWORD = new Set(['RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD']);

export function userPoolAccounts(client: CognitoIdentityProviderClient, userPoolId: string): CognitoAccounts {
  return {
    async endOf(username, subject) {
      let answer;
      try {
        answer = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      } catch (error) {
        if (error instanceof UserNotFoundException) return 'account-unusable';
        throw new DirectoryUnavailable(`the user pool did not answer AdminGetUser (${errorName(error)})`);
      }
      const sub = answer.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (sub !== subject) return 'person-replaced';
      if (answer.Enabled === false) return 'account-unusable';
      if (MUST_SET_PASSWORD.has(answer.UserStatus ?? '')) return 'password-must-change';
      if (!USABLE.has(answer.UserStatus ?? '')) return 'account-unusable';
      return undefined;
    },
  };
}
