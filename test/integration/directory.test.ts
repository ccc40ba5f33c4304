/**
 * The LDAP directory against a real Active Directory: a Samba AD DC this suite starts on a loopback
 * address of its own (test/helpers/samba.ts), reached over LDAPS or StartTLS and verified against the
 * test CA that issued its certificate. Nested groups come from the in-chain rule, checked against
 * ldapsearch as an independent client; injection strings, foreign domains, empty passwords, dead and
 * hung servers are all tried against it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryUnavailable } from '../../backend/auth/directory.ts';
import { IN_CHAIN_RULE, LdapDirectory, type LdapDirectoryConfig } from '../../backend/auth/ldap/ldap-directory.ts';
import { DOMAIN, groupDn, personDn, removeMember, type SambaDomain } from '../../backend/local/samba.ts';
import { binaryPath } from '../../scripts/prerequisites/index.ts';
import { closedPort, startSilentServer, type SilentServer } from '../helpers/dead-servers.ts';
import { startTestDirectory, TEST_SEED } from '../helpers/samba.ts';

let domain: SambaDomain;
let ca: string;
let silent: SilentServer;
const problems: string[] = [];

beforeAll(async () => {
  domain = await startTestDirectory();
  ca = await readFile(domain.caFile, 'utf8');
  silent = await startSilentServer();
});

afterAll(async () => {
  await silent?.close();
  await domain?.stop();
});

const eveSeed = TEST_SEED.people.find((person) => person.username === 'eve')!;
const mallory = TEST_SEED.people.find((person) => person.username === 'mallory')!;

async function asAdmin(change: (admin: Client) => Promise<void>): Promise<void> {
  const admin = await domain.adminClient();
  try {
    await change(admin);
  } finally {
    await admin.unbind();
  }
}

function replace(type: string, value: string): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });
}

function directory(overrides: Partial<LdapDirectoryConfig> & { urls?: string[]; startTls?: boolean; caPem?: string } = {}): LdapDirectory {
  const { urls, startTls, caPem, ...rest } = overrides;
  return new LdapDirectory(
    {
      transport: { urls: urls ?? [domain.ldapsUrl], ca: caPem ?? ca, startTls: startTls ?? false, timeoutMs: 1500 },
      baseDn: DOMAIN.baseDn,
      upnSuffixes: [DOMAIN.dnsName, 'example.com'],
      netbiosDomain: DOMAIN.netbios,
      groups: 'ad-nested',
      serviceAccount: { bindName: domain.service.bindName, password: async () => domain.service.password },
      ...rest,
    },
    { unreachable: () => undefined, problem: (problem) => problems.push(problem) },
  );
}

/** CNs of DNs, for readable expectations. */
function cns(groups: readonly string[]): string[] {
  return groups.map((dn) => dn.replace(/^CN=((?:\\.|[^,])*),.*$/, '$1').replace(/\\(.)/g, '$1')).sort();
}

/** What ldapsearch (OpenLDAP's client, not ours) finds for the same in-chain question. */
function ldapsearchGroups(memberDn: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const filter = `(&(objectClass=group)(member:${IN_CHAIN_RULE}:=${memberDn.replace(/[\\*()]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}))`;
    const child = spawn(
      binaryPath('ldap-utils'),
      [
        '-LLL',
        '-o',
        'ldif-wrap=no',
        '-H',
        domain.ldapsUrl,
        '-x',
        '-D',
        domain.admin.bindName,
        '-w',
        domain.admin.password,
        '-b',
        DOMAIN.baseDn,
        filter,
        'dn',
      ],
      { env: { ...process.env, LDAPTLS_CACERT: domain.caFile } },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`ldapsearch failed (${code}): ${out}`));
      resolve(
        out
          .split('\n')
          .filter((line) => line.startsWith('dn'))
          .map((line) => (line.startsWith('dn:: ') ? Buffer.from(line.slice(5), 'base64').toString('utf8') : line.slice(4))),
      );
    });
  });
}

describe('signing in against Active Directory (Samba)', () => {
  it('binds as the person in all three name forms and reads nested groups with the in-chain rule', async () => {
    for (const name of ['alice', 'alice@corp.example.com', 'CORP\\alice', 'Alice@CORP.example.com', 'corp\\ALICE']) {
      const alice = await directory().authenticate(name, 'alice-demo-password');
      expect(alice, name).toMatchObject({ id: 'alice@corp.example.com', accountName: 'alice', displayName: 'Alice Admin' });
      expect(cns(alice?.groups ?? [])).toEqual(['Developers', 'Platform-Admins']);
    }
  });

  it('finds exactly the groups ldapsearch finds, through a chain of nested groups and DNs full of special characters', async () => {
    const eve = await directory().authenticate('eve', 'eve-test-password');
    expect(eve).toMatchObject({ id: 'eve@corp.example.com', accountName: 'eve' });
    expect(cns(eve?.groups ?? [])).toEqual(['AWS, Admins', 'Level-1', 'Level-2', 'Level-3 (ops*)']);
    expect(eve?.groups).toContain('CN=AWS\\, Admins,OU=Groups,DC=corp,DC=example,DC=com');
    const independent = await ldapsearchGroups(personDn(TEST_SEED.people[0]!));
    expect([...(eve?.groups ?? [])].sort()).toEqual(independent.sort());
  });

  it('reads direct groups only in member mode', async () => {
    const alice = await directory({ groups: 'member' }).authenticate('alice', 'alice-demo-password');
    expect(cns(alice?.groups ?? [])).toEqual(['Platform-Admins']);
    const eve = await directory({ groups: 'member' }).authenticate('eve', 'eve-test-password');
    expect(cns(eve?.groups ?? [])).toEqual(['AWS, Admins', 'Level-3 (ops*)']);
  });

  it('signs in with a second configured UPN suffix, as the account that UPN names', async () => {
    const dave = await directory().authenticate('dave.smith@example.com', 'dave-test-password');
    expect(dave).toMatchObject({ id: 'dave.smith@example.com', accountName: 'dsmith', displayName: 'Dave Smith' });
    expect(await directory().authenticate('dsmith', 'dave-test-password')).toMatchObject({ accountName: 'dsmith' });
    // The same suffix is refused where it is not configured.
    expect(await directory({ upnSuffixes: [DOMAIN.dnsName] }).authenticate('dave.smith@example.com', 'dave-test-password')).toBeNull();
  });

  it('refuses wrong passwords, unknown people, disabled accounts and other domains alike', async () => {
    const ldap = directory();
    expect(await ldap.authenticate('alice', 'not-alices-password')).toBeNull();
    expect(await ldap.authenticate('nobody-here', 'alice-demo-password')).toBeNull();
    expect(await ldap.authenticate('mallory', 'mallory-test-password')).toBeNull();
    for (const name of ['alice@evil.example.com', 'EVIL\\alice', 'alice@corp.example.com.evil.example', 'CORP\\EVIL\\alice']) {
      expect(await ldap.authenticate(name, 'alice-demo-password'), name).toBeNull();
    }
  });

  it('never sends an empty password: refused before any connection is made', async () => {
    const before = silent.accepted;
    const ldap = directory({ urls: [`ldap://127.0.0.1:${silent.port}`], startTls: false });
    expect(await ldap.authenticate('alice', '')).toBeNull();
    expect(await ldap.authenticate('Administrator', '')).toBeNull();
    expect(silent.accepted).toBe(before);
  });

  it('gives LDAP filter syntax, NUL and backslashes in a name no meaning', async () => {
    const ldap = directory();
    const injections = ['*', 'a*', '*)(|(cn=*', ')(|(cn=*', 'alice)(|(cn=*', '\\2a', '\\', 'alice\\', 'alice\u0000', '\u0000', 'al\\*ce', '(cn=*)'];
    for (const name of injections) {
      expect(await ldap.authenticate(name, 'alice-demo-password'), JSON.stringify(name)).toBeNull();
      // The service account's lookup puts the name into a search filter: it must match nothing.
      expect(await ldap.lookup?.(name), JSON.stringify(name)).toBeNull();
    }
    expect(await ldap.lookup?.('alice')).toMatchObject({ accountName: 'alice' });
  });

  it('looks a person up again without their password, and sees a group removal at once', async () => {
    const ldap = directory();
    expect(cns((await ldap.lookup?.('frank'))?.groups ?? [])).toEqual(['Auditors', 'Developers']);
    const admin = await domain.adminClient();
    try {
      await removeMember(admin, groupDn('Developers'), personDn(TEST_SEED.people[3]!));
    } finally {
      await admin.unbind();
    }
    expect(cns((await ldap.lookup?.('frank'))?.groups ?? [])).toEqual(['Auditors']);
    expect(await ldap.lookup?.('mallory')).toBeNull();
    expect(await ldap.lookup?.('nobody-here')).toBeNull();
  });

  it("binds a person to the account's objectGUID, the same through sign-in, lookup and every spelling of the name", async () => {
    const ldap = directory();
    const dave = await ldap.authenticate('dave.smith@example.com', 'dave-test-password');
    expect(dave?.directoryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await ldap.lookup?.('dsmith'))?.directoryId).toBe(dave?.directoryId);
    for (const name of ['dsmith', 'DSmith', 'CORP\\dsmith', 'dsmith@corp.example.com', 'dave.smith@example.com']) {
      expect(await ldap.resolve?.(name), name).toBe(dave?.directoryId);
    }
    expect((await ldap.lookup?.('alice'))?.directoryId).not.toBe(dave?.directoryId);
    for (const name of ['nobody-here', 'dsmith@evil.example.com', '*', 'dsmith)(|(cn=*']) expect(await ldap.resolve?.(name), name).toBeNull();
    expect(directory({ serviceAccount: undefined }).resolve).toBeUndefined();
  });

  it("reads the account's standing: when its password was set, and neither locked out nor expired", async () => {
    const eve = await directory().lookup?.('eve');
    expect(eve?.standing).toEqual({
      passwordVersion: expect.stringMatching(/^\d{18}$/),
      mustChangePassword: false,
      passwordExpired: false,
      lockedOut: false,
    });
    // The person's own bind reads the same facts as the service account.
    expect((await directory().authenticate('eve', 'eve-test-password'))?.standing).toEqual(eve?.standing);
  });

  it('reads the password-expired and locked-out bits AD and Samba construct (msDS-User-Account-Control-Computed)', async () => {
    const ldap = directory();
    await asAdmin((admin) => admin.modify(personDn(mallory), [replace('userAccountControl', '512'), replace('pwdLastSet', '0')]));
    try {
      // pwdLastSet = 0: the password must be changed, and the directory counts it as expired as well.
      expect((await ldap.lookup?.('mallory'))?.standing).toEqual({
        passwordVersion: '0',
        mustChangePassword: true,
        passwordExpired: true,
        lockedOut: false,
      });
    } finally {
      await asAdmin((admin) => admin.modify(personDn(mallory), replace('userAccountControl', '514')));
    }
    await asAdmin((admin) => admin.modify(DOMAIN.baseDn, replace('lockoutThreshold', '2')));
    try {
      for (const attempt of [1, 2]) expect(await ldap.authenticate('eve', `not-eves-password-${attempt}`)).toBeNull();
      expect((await ldap.lookup?.('eve'))?.standing.lockedOut).toBe(true);
      // Locked out, the right password does not bind either.
      expect(await ldap.authenticate('eve', 'eve-test-password')).toBeNull();
    } finally {
      await asAdmin((admin) => admin.modify(DOMAIN.baseDn, replace('lockoutThreshold', '0')));
      await asAdmin((admin) => admin.modify(personDn(eveSeed), replace('lockoutTime', '0')));
    }
    expect((await ldap.lookup?.('eve'))?.standing.lockedOut).toBe(false);
  });

  it('reports a service account that cannot bind as the directory being unavailable', async () => {
    const ldap = directory({ serviceAccount: { bindName: domain.service.bindName, password: async () => 'wrong' } });
    await expect(ldap.lookup?.('alice')).rejects.toThrow(/service account/);
    expect(directory({ serviceAccount: undefined }).lookup).toBeUndefined();
  });
});

describe('transport security', () => {
  it('signs in over StartTLS on ldap://', async () => {
    const alice = await directory({ urls: [domain.ldapUrl], startTls: true }).authenticate('alice', 'alice-demo-password');
    expect(alice?.accountName).toBe('alice');
  });

  it('refuses a server whose certificate does not chain to the configured CA, over LDAPS and StartTLS', async () => {
    // No CA bundle configured: Node's public CAs apply, and they do not know the test CA.
    const withPublicCas = (urls: string[], startTls: boolean) =>
      new LdapDirectory({
        transport: { urls, startTls, timeoutMs: 1500 },
        baseDn: DOMAIN.baseDn,
        upnSuffixes: [DOMAIN.dnsName],
        groups: 'ad-nested',
      });
    await expect(withPublicCas([domain.ldapsUrl], false).authenticate('alice', 'alice-demo-password')).rejects.toThrow(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i,
    );
    await expect(withPublicCas([domain.ldapUrl], true).authenticate('alice', 'alice-demo-password')).rejects.toBeInstanceOf(DirectoryUnavailable);
  });

  it('checks that the certificate names the server it reached', async () => {
    // A relay on 127.0.0.1 reaches the same server, whose certificate names only its own address.
    const relay = createServer((inbound) => {
      const outbound = connect(636, domain.host);
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as AddressInfo;
    try {
      await expect(directory({ urls: [`ldaps://127.0.0.1:${port}`] }).authenticate('alice', 'alice-demo-password')).rejects.toThrow(
        /ERR_TLS_CERT_ALTNAME_INVALID/,
      );
    } finally {
      relay.close();
    }
  });

  it('signs in over plain LDAP only where the configuration allows it (the assembly warns)', async () => {
    const alice = await directory({ urls: [domain.ldapUrl], startTls: false }).authenticate('alice', 'alice-demo-password');
    expect(alice?.accountName).toBe('alice');
  });
});

describe('a dead or hung directory', () => {
  it('tries the next URL when the first refuses connections or never answers', async () => {
    const refused = `ldaps://127.0.0.1:${await closedPort()}`;
    const hung = `ldaps://127.0.0.1:${silent.port}`;
    for (const urls of [
      [refused, domain.ldapsUrl],
      [hung, domain.ldapsUrl],
    ]) {
      const alice = await directory({ urls }).authenticate('alice', 'alice-demo-password');
      expect(alice?.accountName, urls[0]).toBe('alice');
    }
  });

  it('gives up with DirectoryUnavailable, quickly, when no URL answers: LDAPS, StartTLS and lookups alike', async () => {
    const refused = `ldap://127.0.0.1:${await closedPort()}`;
    const hungLdaps = `ldaps://127.0.0.1:${silent.port}`;
    const hungLdap = `ldap://127.0.0.1:${silent.port}`;
    const cases: [string, () => Promise<unknown>][] = [
      ['LDAPS', () => directory({ urls: [hungLdaps, hungLdaps] }).authenticate('alice', 'alice-demo-password')],
      ['StartTLS', () => directory({ urls: [refused, hungLdap], startTls: true }).authenticate('alice', 'alice-demo-password')],
      ['lookup', () => directory({ urls: [hungLdaps] }).lookup?.('alice') ?? Promise.resolve()],
    ];
    for (const [what, attempt] of cases) {
      const started = Date.now();
      await expect(attempt(), what).rejects.toBeInstanceOf(DirectoryUnavailable);
      // Not a speed target: proof that it ends (two URLs, a 1.5 s timeout each, three per attempt at most).
      expect(Date.now() - started, what).toBeLessThan(10_000);
    }
  });
});
