import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../local/demo/users.ts';
import { EmbeddedDirectory } from './embedded-directory.ts';
import { hashPassword } from './password-hash.ts';

const demoFile = fileURLToPath(new URL('../local/demo/directory.json', import.meta.url));
const ALICE_ID = '0b6f1d2e-3c4a-4b5d-8e6f-7a8b9c0d1e2f';

describe('EmbeddedDirectory', () => {
  it('signs in every demo user with their documented password and groups', async () => {
    const directory = await EmbeddedDirectory.fromFile(demoFile);
    for (const demo of DEMO_USERS) {
      const user = await directory.authenticate(demo.username, demo.password);
      expect(user, demo.username).not.toBeNull();
      expect(user?.groups).toEqual(demo.groups);
      expect(user?.id).toBe(`${demo.username}@corp.example.com`);
    }
  });

  it('accepts UPN and down-level logon names, case-insensitively', async () => {
    const directory = new EmbeddedDirectory({
      domain: 'corp.example.com',
      users: [{ id: ALICE_ID, username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: ['G'] }],
    });
    expect(await directory.authenticate('Alice@corp.example.com', 'pw-1')).not.toBeNull();
    expect(await directory.authenticate('CORP\\alice', 'pw-1')).not.toBeNull();
  });

  it('refuses names of another domain: a foreign UPN suffix or NetBIOS domain is not ours', async () => {
    const directory = new EmbeddedDirectory({
      domain: 'corp.example.com',
      users: [{ id: ALICE_ID, username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: ['G'] }],
    });
    expect(await directory.authenticate('alice@evil.example.com', 'pw-1')).toBeNull();
    expect(await directory.authenticate('EVIL\\alice', 'pw-1')).toBeNull();
    expect(await directory.authenticate('alice@corp.example.com.evil.example', 'pw-1')).toBeNull();
    expect(await directory.authenticate('CORP\\EVIL\\alice', 'pw-1')).toBeNull();
    expect(await directory.authenticate('alice@corp.example.com', 'pw-1')).not.toBeNull();
    expect(await directory.authenticate('corp\\alice', 'pw-1')).not.toBeNull();
  });

  it('refuses a wrong password, an empty password and an unknown user alike', async () => {
    const directory = new EmbeddedDirectory({
      domain: 'corp.example.com',
      users: [{ id: ALICE_ID, username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: [] }],
    });
    expect(await directory.authenticate('alice', 'pw-2')).toBeNull();
    expect(await directory.authenticate('alice', '')).toBeNull();
    expect(await directory.authenticate('mallory', 'pw-1')).toBeNull();
  });

  it('binds each person to their own id, and a new password hash to a new password version', async () => {
    const file = (passwordHash: string, id = ALICE_ID) => ({
      domain: 'corp.example.com',
      users: [{ id, username: 'alice', displayName: 'Alice', passwordHash, groups: [] }],
    });
    const hash = await hashPassword('pw-1');
    const before = await new EmbeddedDirectory(file(hash)).authenticate('alice', 'pw-1');
    expect(before?.directoryId).toBe(ALICE_ID);
    expect((await new EmbeddedDirectory(file(hash)).lookup('alice'))?.standing).toEqual(before?.standing);
    const after = await new EmbeddedDirectory(file(await hashPassword('pw-2'))).lookup('alice');
    expect(after?.standing.passwordVersion).not.toBe(before?.standing.passwordVersion);
    expect(after?.standing.passwordVersion).not.toContain(hash);
  });

  it('resolves every spelling of a sign-in name to the one person, without the password', async () => {
    const directory = new EmbeddedDirectory({
      domain: 'corp.example.com',
      users: [{ id: ALICE_ID, username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: [] }],
    });
    for (const name of ['alice', 'Alice@corp.example.com', 'CORP\\alice']) expect(await directory.resolve(name), name).toBe(ALICE_ID);
    for (const name of ['mallory', 'alice@evil.example.com', 'EVIL\\alice']) expect(await directory.resolve(name), name).toBeNull();
  });

  it('refuses a file whose people have no id, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-directory-'));
    try {
      const path = join(dir, 'directory.json');
      await writeFile(
        path,
        JSON.stringify({ domain: 'corp.example.com', users: [{ username: 'alice', displayName: 'A', passwordHash: 'scrypt$x', groups: [] }] }),
      );
      await expect(EmbeddedDirectory.fromFile(path)).rejects.toThrow(/users\.0\.id/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
