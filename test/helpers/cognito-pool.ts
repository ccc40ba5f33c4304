/**
 * Test helper: a Cognito user pool in moto holding the demo people (alice, bob, carol with their
 * demo passwords and groups as Cognito groups), one public app client for the extension (code grant,
 * PKCE, no secret), and the sign-in settings that point the API at it and at the hosted-UI stand-in.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsSettings } from '../../backend/aws/clients.ts';
import type { EnvInput } from '../../backend/config/config.ts';
import { DEMO_USERS } from '../../backend/local/demo/users.ts';

export interface DemoUserPool {
  userPoolId: string;
  clientId: string;
  client: CognitoIdentityProviderClient;
  /** Registers the extension's redirect URL(s) with the app client, as an admin would. */
  setCallbackUrls(urls: string[]): Promise<void>;
  removeFromGroup(username: string, group: string): Promise<void>;
  disable(username: string): Promise<void>;
  /** AdminUserGlobalSignOut: every refresh token the pool issued to the person stops working. */
  signOutEverywhere(username: string): Promise<void>;
  /** AdminResetUserPassword (after verifying the email it needs): the person must set a new password. */
  resetPassword(username: string): Promise<void>;
  /** Adds a person with this password and groups (their name attribute is "<username> (Cognito)"). */
  addPerson(username: string, password: string, groups: string[]): Promise<void>;
  /** Deletes the person and creates another one under the same user name (a new `sub`). */
  recreate(username: string, password: string, groups: string[]): Promise<void>;
  /** SWITCHYARD_COGNITO_* for this pool, its hosted UI at `domain`. */
  env(domain: string, extra?: EnvInput): EnvInput;
}

export function cognitoIdpClient(aws: AwsSettings): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials });
}

export async function createDemoUserPool(aws: AwsSettings): Promise<DemoUserPool> {
  const client = cognitoIdpClient(aws);
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: 'switchyard-demo',
      Policies: {
        PasswordPolicy: { MinimumLength: 8, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error('moto created no user pool');
  const appClient = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'switchyard-extension',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      CallbackURLs: ['https://placeholder.invalid/'],
      ReadAttributes: ['email', 'name'],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  const clientId = appClient.UserPoolClient?.ClientId;
  if (!clientId) throw new Error('moto created no app client');
  for (const group of new Set(DEMO_USERS.flatMap((user) => user.groups))) {
    await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
  }
  const createUser = async (user: { username: string; password: string; groups: string[] }, name: string) => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: user.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${user.username}@corp.example.com` },
          { Name: 'name', Value: name },
        ],
      }),
    );
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: user.username, Password: user.password, Permanent: true }));
    for (const group of user.groups) {
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: group }));
    }
  };
  for (const user of DEMO_USERS) await createUser(user, `${user.username[0]?.toUpperCase()}${user.username.slice(1)} (Cognito)`);
  return {
    userPoolId,
    clientId,
    client,
    async setCallbackUrls(urls) {
      await client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientId: clientId,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          CallbackURLs: urls,
          ReadAttributes: ['email', 'name'],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      );
    },
    async removeFromGroup(username, group) {
      await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
    },
    async disable(username) {
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
    },
    async signOutEverywhere(username) {
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
    },
    async resetPassword(username) {
      await client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: username,
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      );
      await client.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }));
    },
    addPerson: (username, password, groups) => createUser({ username, password, groups }, `${username} (Cognito)`),
    async recreate(username, password, groups) {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      await createUser({ username, password, groups }, `${username} (re-created)`);
    },
    env: (domain, extra = {}) => ({
      SWITCHYARD_COGNITO_USER_POOL_ID: userPoolId,
      SWITCHYARD_COGNITO_CLIENT_IDS: clientId,
      SWITCHYARD_COGNITO_DOMAIN: domain,
      ...extra,
    }),
  };
}
