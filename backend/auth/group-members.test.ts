import { describe, expect, test } from 'vitest';
import { embeddedGroupMembers } from './embedded-group-members.ts';
import { combinedGroupMembers, type GroupMembers } from './group-members.ts';

const file = {
  domain: 'corp.example.com',
  users: [
    {
      id: '5f0b3a2e-8c1d-4e6a-9b7f-2d4c6e8a0b1c',
      username: 'alice',
      displayName: 'Alice',
      passwordHash: 'scrypt$x',
      groups: ['Developers', 'CN=AWS\\, Admins,OU=Groups,DC=corp'],
    },
    { id: 'a3c9e1f7-4b2d-4d8e-8f6a-1c3e5a7b9d0f', username: 'bob', displayName: 'Bob', passwordHash: 'scrypt$x', groups: ['Auditors'] },
  ],
};

describe('embeddedGroupMembers', () => {
  test('each group as an assignment names it: case, DNs and their first CN match as at sign-in', async () => {
    const members = await embeddedGroupMembers(file).membersOf(['developers', 'AWS, Admins', 'cn=aws\\2c admins, ou=groups, dc=corp', 'Nobody']);
    const alice = { id: 'alice@corp.example.com', displayName: 'Alice' };
    expect(Object.fromEntries(members)).toEqual({
      developers: [alice],
      'AWS, Admins': [alice],
      'cn=aws\\2c admins, ou=groups, dc=corp': [alice],
      Nobody: [],
    });
  });
});

describe('combinedGroupMembers', () => {
  test('a directory and a user pool: each group from both, each person once', async () => {
    const fixed = (source: string, members: Record<string, { id: string; displayName: string }[]>): GroupMembers => ({
      source,
      membersOf: async (groups) => new Map(groups.map((group) => [group, members[group] ?? []])),
      routesOf: async (groups) =>
        new Map(groups.map((group) => [group, members[group]?.map((member) => ({ ...member, enabled: true, groupDn: group, chain: [] }))])),
    });
    const both = combinedGroupMembers([
      fixed('a', { Devs: [{ id: 'x', displayName: 'X' }] }),
      fixed('b', {
        Devs: [
          { id: 'x', displayName: 'X again' },
          { id: 'y', displayName: 'Y' },
        ],
      }),
    ]);
    expect(both.source).toBe('a and b');
    expect(Object.fromEntries(await both.membersOf(['Devs', 'Ops']))).toEqual({
      Devs: [
        { id: 'x', displayName: 'X' },
        { id: 'y', displayName: 'Y' },
      ],
      Ops: [],
    });
    const routes = await both.routesOf(['Devs', 'Ops']);
    expect(routes.get('Devs')?.map((route) => route.id)).toEqual(['x', 'x', 'y']);
    expect(routes.get('Ops')).toBeUndefined();
  });
});
