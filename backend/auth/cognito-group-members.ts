/**
 * Group members from an Amazon Cognito user pool: the pool's groups an assignment's group matches
 * (names compared as at sign-in, policy/group-names.ts; ListGroups, paged), then each one's users
 * (ListUsersInGroup, paged). A person is who sign-in says they are: the `sub` as id, and the name,
 * e-mail or user name as display name, in that order (cognito-sign-in.ts reads the same claims from
 * the ID token). Disabled users are left out: they cannot sign in.
 */
import {
  ListGroupsCommand,
  ListUsersInGroupCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { groupMatches } from '../../shared/policy/group-names.ts';
import type { GroupMember, GroupMembers, GroupRoute } from './group-members.ts';

/** The most either call returns per page. */
const PAGE_SIZE = 60;

export function cognitoGroupMembers(client: CognitoIdentityProviderClient, userPoolId: string): GroupMembers {
  return {
    source: `the user pool ${userPoolId}`,
    async membersOf(groups) {
      const poolGroups = await listGroups(client, userPoolId);
      const members = new Map<string, GroupMember[]>();
      const cache = new Map<string, GroupMember[]>();
      for (const group of groups) {
        const people = new Map<string, GroupMember>();
        for (const poolGroup of poolGroups.filter((name) => groupMatches(group, [name]))) {
          const users = cache.get(poolGroup) ?? (await usersInGroup(client, userPoolId, poolGroup));
          cache.set(poolGroup, users);
          for (const user of users) people.set(user.id, user);
        }
        members.set(
          group,
          [...people.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        );
      }
      return members;
    },
    async routesOf(groups) {
      const poolGroups = await listGroups(client, userPoolId);
      const cache = new Map<string, UserType[]>();
      const routes = new Map<string, GroupRoute[] | undefined>();
      for (const group of groups) {
        const matched = poolGroups.filter((name) => groupMatches(group, [name]));
        if (matched.length === 0) {
          routes.set(group, undefined);
          continue;
        }
        const list: GroupRoute[] = [];
        for (const poolGroup of matched) {
          const users = cache.get(poolGroup) ?? (await usersOfGroup(client, userPoolId, poolGroup));
          cache.set(poolGroup, users);
          for (const user of users) {
            const email = attributeOf(user, 'email');
            list.push({ ...memberOf(user), ...(email ? { email } : {}), enabled: user.Enabled !== false, groupDn: poolGroup, chain: [] });
          }
        }
        routes.set(group, list);
      }
      return routes;
    },
  };
}

async function listGroups(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: PAGE_SIZE, NextToken: token }));
    for (const group of page.Groups ?? []) if (group.GroupName) names.push(group.GroupName);
    token = page.NextToken;
  } while (token);
  return names;
}

async function usersInGroup(client: CognitoIdentityProviderClient, userPoolId: string, groupName: string): Promise<GroupMember[]> {
  return (await usersOfGroup(client, userPoolId, groupName)).filter((user) => user.Enabled !== false).map(memberOf);
}

/** Every user of a pool group, enabled or not. */
async function usersOfGroup(client: CognitoIdentityProviderClient, userPoolId: string, groupName: string): Promise<UserType[]> {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: groupName, Limit: PAGE_SIZE, NextToken: token }));
    users.push(...(page.Users ?? []));
    token = page.NextToken;
  } while (token);
  return users;
}

function attributeOf(user: UserType, name: string): string | undefined {
  return user.Attributes?.find((candidate) => candidate.Name === name)?.Value || undefined;
}

function memberOf(user: UserType): GroupMember {
  const attribute = (name: string) => attributeOf(user, name);
  const id = attribute('sub') ?? user.Username ?? '';
  return { id, displayName: attribute('name') ?? attribute('email') ?? user.Username ?? id };
}
