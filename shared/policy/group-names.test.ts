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
});
