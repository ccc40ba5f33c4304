import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStateTable } from '../state/memory-state-table.ts';
import { CliCodeRefused, makeCliLoginCodes, s256, type CliLoginGrant } from './cli-login-codes.ts';

const VERIFIER = 'v'.repeat(43);
const REDIRECT = 'http://127.0.0.1:49152/callback';
const GRANT: CliLoginGrant = {
  user: { id: 'alice@corp.example.com', displayName: 'Alice', groups: ['Developers'] },
  source: 'directory',
  refresh: { accountName: 'alice' },
};

function setUp() {
  const clock = { now: Date.UTC(2026, 5, 1, 12) };
  const table = new MemoryStateTable({ now: () => clock.now });
  const codes = makeCliLoginCodes(table, { now: () => clock.now });
  const issue = () => codes.issue(GRANT, { redirectUri: REDIRECT, codeChallenge: s256(VERIFIER) });
  return { clock, table, codes, issue };
}

async function refusalOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CliCodeRefused);
  return (error as CliCodeRefused).refusal;
}

describe('CLI sign-in codes', () => {
  it('redeem once, with the verifier and the redirect they were issued for, to the grant', async () => {
    const { codes, issue } = setUp();
    const { code, expiresAt } = await issue();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime() - Date.UTC(2026, 5, 1, 12)).toBe(60_000);
    expect(await codes.redeem({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT })).toEqual(GRANT);
    expect(await refusalOf(codes.redeem({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT }))).toBe('code_reused');
  });

  it('S256 is the base64url SHA-256 of the verifier, without padding (the value computed with Python hashlib)', () => {
    expect(s256('dBjftJeZ4CVP-mJ0kzGPf-Q0ZXqGo_FpMiv1_j7qGSI')).toBe('x88vV4bKrZm2k7tSlnRgt5yzlewNbec2qjHhAMwVoe8');
  });

  it('of two racing redemptions, exactly one wins', async () => {
    const { codes, issue } = setUp();
    const { code } = await issue();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => codes.redeem({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((one) => one.status === 'rejected')) {
      expect((result.reason as CliCodeRefused).refusal).toBe('code_reused');
    }
  });

  it('refuse an expired code, after 60 s, and say so', async () => {
    const { clock, codes, issue } = setUp();
    const { code } = await issue();
    clock.now += 60_001;
    expect(await refusalOf(codes.redeem({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT }))).toBe('code_expired');
  });

  it('refuse a wrong verifier and a different redirect, and spend the code all the same', async () => {
    const { codes, issue } = setUp();
    const first = await issue();
    expect(await refusalOf(codes.redeem({ code: first.code, codeVerifier: 'w'.repeat(43), redirectUri: REDIRECT }))).toBe('wrong_verifier');
    expect(await refusalOf(codes.redeem({ code: first.code, codeVerifier: VERIFIER, redirectUri: REDIRECT }))).toBe('code_reused');
    const second = await issue();
    const elsewhere = 'http://127.0.0.1:49153/callback';
    expect(await refusalOf(codes.redeem({ code: second.code, codeVerifier: VERIFIER, redirectUri: elsewhere }))).toBe('redirect_mismatch');
  });

  it('refuse a code never issued', async () => {
    const { codes } = setUp();
    expect(await refusalOf(codes.redeem({ code: 'x'.repeat(43), codeVerifier: VERIFIER, redirectUri: REDIRECT }))).toBe('code_unknown');
  });

  it('keep neither the code nor the grant readable in the table', async () => {
    const { table, issue } = setUp();
    const { code } = await issue();
    const key = `cli-login-code#${createHash('sha256').update(code).digest('base64url')}`;
    const item = await table.get<Record<string, unknown>>({ pk: key, sk: 'code' });
    expect(item).toBeDefined();
    const stored = JSON.stringify(item);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain('"accountName"');
    expect(stored).not.toContain('Developers');
  });
});
