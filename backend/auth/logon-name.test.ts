import { describe, expect, it } from 'vitest';
import { parseLogonName, upnOf } from './logon-name.ts';

const rules = { upnSuffixes: ['corp.example.com', 'example.com'], netbiosDomain: 'CORP' };

describe('logon names', () => {
  it('accepts the three forms with the configured suffixes and domain, case-insensitively', () => {
    expect(parseLogonName('alice', rules)).toEqual({ name: 'alice', key: 'alice', form: 'bare', suffix: 'corp.example.com' });
    expect(parseLogonName(' Alice@Corp.Example.com ', rules)).toEqual({ name: 'Alice', key: 'alice', form: 'upn', suffix: 'corp.example.com' });
    expect(parseLogonName('alice.smith@example.com', rules)).toMatchObject({ name: 'alice.smith', suffix: 'example.com' });
    expect(parseLogonName('corp\\alice', rules)).toMatchObject({ name: 'alice', form: 'down-level', suffix: 'corp.example.com' });
    expect(upnOf(parseLogonName('CORP\\alice', rules)!)).toBe('alice@corp.example.com');
  });

  it('refuses other domains, suffixes that merely contain ours, and leftovers', () => {
    for (const typed of [
      'alice@evil.example.com',
      'EVIL\\alice',
      'alice@corp.example.com.evil.example',
      'alice@sub.corp.example.com',
      'CORP\\EVIL\\alice',
      'CORP\\alice@corp.example.com',
      'alice@evil@corp.example.com',
      '@corp.example.com',
      'CORP\\',
      '',
      'alice\u0000',
      'alice\u0000@corp.example.com',
      'CORP\\alice\u0000x',
      'ali\nce',
    ]) {
      expect(parseLogonName(typed, rules), typed).toBeUndefined();
    }
  });

  it('refuses down-level names when no NetBIOS domain is configured', () => {
    expect(parseLogonName('CORP\\alice', { upnSuffixes: ['corp.example.com'] })).toBeUndefined();
  });
});
