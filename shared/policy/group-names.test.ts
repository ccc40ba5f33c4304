import { describe, expect, it } from 'vitest';
import { groupMatches, parseDn } from './group-names.ts';

describe('group names and DNs', () => {
  it('parses DNs with escapes and ignores case and spaces', () => {
    expect(parseDn('CN=Smith\\, John,OU=Users, DC=corp')).toEqual(['cn=smith, john', 'ou=users', 'dc=corp']);
    expect(parseDn('Developers')).toBeUndefined();
    expect(parseDn('CN=Ops,')).toBeUndefined();
  });

  it('matches names to names and to the CN of DNs', () => {
    expect(groupMatches('AWS-Auditors', ['aws-auditors'])).toBe(true);
    expect(groupMatches('AWS-Auditors', ['CN=AWS-Auditors,OU=Groups,DC=corp,DC=example,DC=com'])).toBe(true);
    expect(groupMatches('AWS-Auditors', ['OU=AWS-Auditors,DC=corp'])).toBe(false);
    expect(groupMatches('AWS-Auditors', ['AWS-Auditors-Extra'])).toBe(false);
  });

  it('matches a DN only to the same DN', () => {
    const dn = 'CN=Ops,OU=Groups,DC=corp,DC=example,DC=com';
    expect(groupMatches(dn, ['cn=ops,ou=groups,dc=corp,dc=example,dc=com'])).toBe(true);
    expect(groupMatches(dn, ['Ops'])).toBe(false);
  });

  it('matches DNs with escaped commas, whichever way the comma is escaped', () => {
    const fromDirectory = 'CN=AWS\\, Admins,OU=Groups,DC=corp,DC=example,DC=com';
    expect(groupMatches('CN=AWS\\2C Admins,OU=Groups,DC=corp,DC=example,DC=com', [fromDirectory])).toBe(true);
    expect(groupMatches('AWS, Admins', [fromDirectory])).toBe(true);
    expect(groupMatches('AWS', [fromDirectory])).toBe(false);
    expect(groupMatches('Admins', [fromDirectory])).toBe(false);
  });

  it('decodes hex escapes as UTF-8, so an escaped name equals the written one', () => {
    expect(parseDn('CN=Caf\\C3\\A9,DC=corp')).toEqual(['cn=café', 'dc=corp']);
    expect(groupMatches('CN=Café,DC=corp', ['CN=Caf\\c3\\a9,DC=corp'])).toBe(true);
    expect(groupMatches('Café', ['CN=Caf\\C3\\A9,DC=corp'])).toBe(true);
  });

  it('compares multi-valued RDNs regardless of the order of their parts', () => {
    expect(groupMatches('CN=Ops+OU=Infra,DC=corp', ['OU=Infra+CN=Ops,DC=corp'])).toBe(true);
    expect(groupMatches('CN=Ops+OU=Infra,DC=corp', ['CN=Ops,DC=corp'])).toBe(false);
  });

  it('keeps escaped leading and trailing spaces and an escaped plus', () => {
    expect(parseDn('CN=\\ padded\\ ,DC=corp')).toEqual(['cn= padded ', 'dc=corp']);
    expect(groupMatches('CN=C\\+\\+ devs,DC=corp', ['CN=C\\2B\\2B devs,DC=corp'])).toBe(true);
  });
});
