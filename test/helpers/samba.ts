/**
 * Test helper: a throwaway Samba AD domain (backend/local/samba.ts) with the demo people, started
 * with the binaries where the prerequisites check finds them, plus the people and groups the
 * directory tests need: DNs with commas, parentheses and stars, a chain of nested groups, a second
 * UPN suffix, a disabled account.
 */
import { binaryPaths } from '../../scripts/prerequisites/index.ts';
import { startSambaDomain, type DirectorySeed, type SambaDomain } from '../../backend/local/samba.ts';

export const TEST_SEED: DirectorySeed = {
  groups: [
    { name: 'AWS, Admins' },
    { name: 'Level-1' },
    { name: 'Level-2', memberOf: ['Level-1'] },
    { name: 'Level-3 (ops*)', memberOf: ['Level-2'] },
    { name: 'Unrelated' },
  ],
  people: [
    // A CN with every character a filter or a DN must escape, and no explicit UPN.
    {
      username: 'eve',
      password: 'eve-test-password',
      displayName: 'Eve',
      cn: 'Eve (ops) *, Jr\\',
      upn: null,
      groups: ['AWS, Admins', 'Level-3 (ops*)'],
    },
    // Signs in with a second UPN suffix; the account name differs from the UPN's name.
    { username: 'dsmith', password: 'dave-test-password', displayName: 'Dave Smith', upn: 'dave.smith@example.com', groups: ['Auditors'] },
    { username: 'mallory', password: 'mallory-test-password', displayName: 'Mallory', groups: ['Auditors'], disabled: true },
    // Changed during the tests (group removal, disabling).
    { username: 'frank', password: 'frank-test-password', displayName: 'Frank', groups: ['Developers', 'Auditors'] },
  ],
};

export async function startTestDirectory(seed: DirectorySeed = TEST_SEED): Promise<SambaDomain> {
  const [samba, sambaTool] = binaryPaths('samba');
  const [openssl] = binaryPaths('openssl');
  if (!samba || !sambaTool || !openssl) throw new Error('scripts/prerequisites/parts.ts lists no samba, samba-tool or openssl');
  return startSambaDomain({ binaries: { samba, sambaTool, openssl }, seed });
}
