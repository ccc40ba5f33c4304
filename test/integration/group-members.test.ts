/**
 * The members of groups, as `switchyard policy plan --people` (and an access review) asks for them:
 * from Active Directory (a Samba AD DC, test/helpers/samba.ts) with the in-chain rule on memberOf and
 * paged searches, and from a Cognito user pool in moto (ListGroups, ListUsersInGroup, paged). Each
 * person is named as sign-in names them; disabled accounts are left out.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoGroupMembers } from '../../backend/auth/cognito-group-members.ts';
import { DirectoryUnavailable } from '../../backend/auth/directory.ts';
import { LdapDirectory } from '../../backend/auth/ldap/ldap-directory.ts';
import { ldapGroupMembers, type LdapGroupMembersConfig } from '../../backend/auth/ldap/ldap-group-members.ts';
import { DOMAIN, type SambaDomain } from '../../backend/local/samba.ts';
import { startMoto, type MotoServer } from '../../backend/local/moto.ts';
import { createDemoUserPool, type DemoUserPool } from '../helpers/cognito-pool.ts';
import { startTestDirectory, TEST_SEED } from '../helpers/samba.ts';

const ids = (members: { id: string }[] | undefined) => (members ?? []).map((member) => member.id).sort();

describe('LDAP (Samba AD DC)', () => {
  let domain: SambaDomain;
  let ca: string;
  const PAGED = Array.from({ length: 5 }, (_, index) => `paged${index}`);

  beforeAll(async () => {
    domain = await startTestDirectory({
      groups: [...TEST_SEED.groups, { name: 'Paged' }],
      people: [
        ...TEST_SEED.people,
        ...PAGED.map((username) => ({ username, password: `${username}-test-Password1`, displayName: username.toUpperCase(), groups: ['Paged'] })),
      ],
    });
    ca = await readFile(domain.caFile, 'utf8');
  });
  afterAll(async () => {
    await domain?.stop();
  });

  const members = (overrides: Partial<LdapGroupMembersConfig> = {}) =>
    ldapGroupMembers({
      transport: { urls: [domain.ldapsUrl], ca, startTls: false, timeoutMs: 3000 },
      baseDn: DOMAIN.baseDn,
      groups: 'ad-nested',
      upnSuffixes: [DOMAIN.dnsName, 'example.com'],
      serviceAccount: { bindName: domain.service.bindName, password: async () => domain.service.password },
      ...overrides,
    });

  it('finds members through nested groups with the in-chain rule, and direct members only in member mode', async () => {
    const nested = await members().membersOf(['Developers', 'Level-1']);
    // alice is in Developers through Platform-Admins; eve is in Level-1 through Level-3 and Level-2.
    expect(ids(nested.get('Developers'))).toEqual(['alice@corp.example.com', 'frank@corp.example.com']);
    expect(ids(nested.get('Level-1'))).toEqual(['eve@corp.example.com']);
    const direct = await members({ groups: 'member' }).membersOf(['Developers', 'Level-1']);
    expect(ids(direct.get('Developers'))).toEqual(['frank@corp.example.com']);
    expect(ids(direct.get('Level-1'))).toEqual([]);
  });

  it('names people as sign-in does, and leaves disabled accounts out', async () => {
    const auditors = (await members().membersOf(['Auditors'])).get('Auditors') ?? [];
    // mallory is an auditor, but disabled; dave signs in as his second-suffix UPN.
    expect(auditors).toEqual([
      { id: 'bob@corp.example.com', displayName: 'Bob Auditor' },
      { id: 'dave.smith@example.com', displayName: 'Dave Smith' },
      { id: 'frank@corp.example.com', displayName: 'Frank' },
    ]);
    const signIn = new LdapDirectory({
      transport: { urls: [domain.ldapsUrl], ca, startTls: false, timeoutMs: 3000 },
      baseDn: DOMAIN.baseDn,
      upnSuffixes: [DOMAIN.dnsName, 'example.com'],
      netbiosDomain: DOMAIN.netbios,
      groups: 'ad-nested',
    });
    expect((await signIn.authenticate('dsmith', 'dave-test-password'))?.id).toBe('dave.smith@example.com');
    expect((await signIn.authenticate('eve', 'eve-test-password'))?.id).toBe(ids((await members().membersOf(['Level-1'])).get('Level-1'))[0]);
  });

  it('matches groups as assignments name them: a plain name with a comma, a DN spelled another way, and nothing for filter syntax', async () => {
    const asked = ['AWS, Admins', 'cn=AWS\\2C Admins, ou=Groups, dc=corp, dc=example, dc=com', '*', ')(cn=*', 'No Such Group'];
    const found = await members().membersOf(asked);
    expect(ids(found.get('AWS, Admins'))).toEqual(['eve@corp.example.com']);
    expect(ids(found.get(asked[1]!))).toEqual(['eve@corp.example.com']);
    for (const nothing of asked.slice(2)) expect(found.get(nothing), nothing).toEqual([]);
  });

  it('reads every page of a paged search', async () => {
    const paged = (await members({ pageSize: 2 }).membersOf(['Paged'])).get('Paged');
    expect(ids(paged)).toEqual(PAGED.map((username) => `${username}@corp.example.com`));
  });

  it('a service account that cannot bind is the directory unavailable, and its password is not in the message', async () => {
    const wrong = members({ serviceAccount: { bindName: domain.service.bindName, password: async () => 'Not-The-Password-1' } });
    const error = await wrong.membersOf(['Developers']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryUnavailable);
    expect(String(error)).toContain('SWITCHYARD_LDAP_SERVICE_ACCOUNT');
    expect(String(error)).not.toContain('Not-The-Password-1');
  });
});

describe('Cognito user pool (moto)', () => {
  let moto: MotoServer;
  let pool: DemoUserPool;
  const sub = async (username: string) =>
    (await pool.client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }))).UserAttributes?.find(
      (a) => a.Name === 'sub',
    )?.Value;

  beforeAll(async () => {
    moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
    pool = await createDemoUserPool(moto.settings);
    // More members than one page holds (ListUsersInGroup returns at most 60).
    await pool.client.send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: 'Everyone' }));
    for (let index = 0; index < 65; index++) {
      const username = `user${index}`;
      await pool.client.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
      await pool.client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: username, GroupName: 'Everyone' }));
    }
  }, 180_000);
  afterAll(async () => {
    await moto?.stop();
  });

  it("lists a group's members by their sub, as sign-in names them, matching group names as sign-in does", async () => {
    const found = await cognitoGroupMembers(pool.client, pool.userPoolId).membersOf(['developers', 'Auditors', 'Nobody']);
    expect(found.get('developers')).toEqual([{ id: await sub('alice'), displayName: 'Alice (Cognito)' }]);
    expect(found.get('Auditors')).toEqual([{ id: await sub('bob'), displayName: 'Bob (Cognito)' }]);
    expect(found.get('Nobody')).toEqual([]);
  });

  it('reads every page, and leaves disabled users out', async () => {
    await pool.disable('user3');
    const everyone = (await cognitoGroupMembers(pool.client, pool.userPoolId).membersOf(['Everyone'])).get('Everyone') ?? [];
    expect(everyone).toHaveLength(64);
    expect(everyone.map((member) => member.displayName)).not.toContain('user3');
    expect(everyone.map((member) => member.displayName)).toContain('user64');
  });
});
