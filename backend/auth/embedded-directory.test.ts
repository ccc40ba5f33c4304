import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../local/demo/users.ts';
import { EmbeddedDirectory } from './embedded-directory.ts';
import { hashPassword } from './password-hash.ts';

const demoFile = fileURLToPath(new URL('../local/demo/directory.json', import.meta.url));

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
      users: [{ username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: ['G'] }],
    });
    expect(await directory.authenticate('Alice@corp.example.com', 'pw-1')).not.toBeNull();
    expect(await directory.authenticate('CORP\\alice', 'pw-1')).not.toBeNull();
  });

  it('refuses names of another domain: a foreign UPN suffix or NetBIOS domain is not ours', async () => {
    const directory = new EmbeddedDirectory({
      domain: 'corp.example.com',
      users: [{ username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: ['G'] }],
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
      users: [{ username: 'alice', displayName: 'Alice', passwordHash: await hashPassword('pw-1'), groups: [] }],
    });
    expect(await directory.authenticate('alice', 'pw-2')).toBeNull();
    expect(await directory.authenticate('alice', '')).toBeNull();
    expect(await directory.authenticate('mallory', 'pw-1')).toBeNull();
  });
});
