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
import type { GroupMember, GroupMembers } from './group-members.ts';

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
  const members: GroupMember[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: groupName, Limit: PAGE_SIZE, NextToken: token }));
    for (const user of page.Users ?? []) if (user.Enabled !== false) members.push(memberOf(user));
    token = page.NextToken;
  } while (token);
  return members;
}

function memberOf(user: UserType): GroupMember {
  const attribute = (name: string) => user.Attributes?.find((candidate) => candidate.Name === name)?.Value || undefined;
  const id = attribute('sub') ?? user.Username ?? '';
  return { id, displayName: attribute('name') ?? attribute('email') ?? user.Username ?? id };
}
