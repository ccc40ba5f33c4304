/** Every permission either browser's manifest asks for is justified in the README's table, and there is no host permission. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BROWSERS, manifest, manifestFor } from '../../manifest.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The permission names in the first column of the README's permissions table. */
function documentedPermissions(): string[] {
  const section = README.slice(README.indexOf('### Permissions'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
}

describe('the permissions', () => {
  const built = BROWSERS.map((browser) => manifestFor(browser, manifest));
  const requested = built.flatMap((each) => [...(each.permissions ?? []), ...(each.optional_permissions ?? [])]);

  it('are each in the README table, with what they are for and what breaks without them', () => {
    const documented = documentedPermissions();
    expect(documented.length).toBeGreaterThan(0);
    for (const permission of requested) expect(documented, permission).toContain(permission);
  });

  it('include no host permission', () => {
    for (const each of [manifest, ...built]) {
      expect(each).not.toHaveProperty('host_permissions');
      expect(each).not.toHaveProperty('optional_host_permissions');
    }
    expect(requested.filter((permission) => permission.includes('://') || permission === '<all_urls>')).toEqual([]);
  });
});
