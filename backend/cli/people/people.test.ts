import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printedBlock, shellWord } from '../configure.ts';
import { ApiRefused } from './api-client.ts';
import { asPerson } from './person-command.ts';
import { normalizeApiUrl, resolveApiUrl, saveApiUrl } from './api-url.ts';
import { CACHE_MARGIN_MS, cacheFileOf, readCachedCredentials, writeCachedCredentials } from './credential-cache.ts';
import { cachedCredentialsOutput } from './credentials-fast-path.ts';

const home = () => ({ SWITCHYARD_HOME: join(mkdtempSync(join(tmpdir(), 'switchyard-people-')), 'sy') });
const issued = (expiresAt: number) => ({
  AccessKeyId: 'ASIA1',
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: new Date(expiresAt).toISOString(),
  Region: 'eu-west-1',
});

describe('the credentials cache', () => {
  it('answers until the margin before expiry, from a file only the person can read', () => {
    const env = home();
    const now = Date.UTC(2026, 5, 1, 12);
    const target = { account: '111111111111', permissionSet: 'Developer' };
    const file = cacheFileOf(env, 'https://sy.example.com', target);
    writeCachedCredentials(file, issued(now + CACHE_MARGIN_MS + 1000));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.SWITCHYARD_HOME, 'cache', 'credentials')).mode & 0o777).toBe(0o700);
    expect(readCachedCredentials(file, now)?.AccessKeyId).toBe('ASIA1');
    expect(readCachedCredentials(file, now + 1000)).toBeUndefined();
    expect(readdirSync(join(env.SWITCHYARD_HOME, 'cache', 'credentials'))).toEqual([file.split('/').pop()]);
  });

  it('keys the cache by API, account, permission set and region, and the fast path reads it', () => {
    const env = home();
    const api = 'https://sy.example.com';
    const target = { account: 'payments-dev', permissionSet: 'Developer' };
    writeCachedCredentials(cacheFileOf(env, api, target), issued(Date.now() + 3600_000));
    const args = ['--account', 'payments-dev', '--permission-set', 'Developer', '--api', api];
    expect(JSON.parse(cachedCredentialsOutput(args, env) ?? '{}')).toMatchObject({ Version: 1, AccessKeyId: 'ASIA1' });
    expect(cachedCredentialsOutput([...args, '--region', 'us-east-1'], env)).toBeUndefined();
    expect(cachedCredentialsOutput(['--account', 'payments-dev', '--permission-set', 'Developer', '--api', `${api}/other`], env)).toBeUndefined();
    expect(cachedCredentialsOutput([...args, '--bogus'], env)).toBeUndefined();
  });
});

describe('the API URL', () => {
  it('is https, or http to a loopback host only, without anything after the path', () => {
    expect(normalizeApiUrl('https://sy.example.com/')).toBe('https://sy.example.com');
    expect(normalizeApiUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(() => normalizeApiUrl('http://sy.example.com')).toThrow(/https/);
    expect(() => normalizeApiUrl('https://user:pw@sy.example.com')).toThrow(/user name/);
    expect(() => normalizeApiUrl('sy.example.com')).toThrow(/not a URL/);
  });

  it('comes from the flag, else the environment, else what login saved', () => {
    const env = home();
    expect(resolveApiUrl(undefined, env)).toBeUndefined();
    saveApiUrl(env, 'https://saved.example.com');
    expect(resolveApiUrl(undefined, env)).toBe('https://saved.example.com');
    expect(resolveApiUrl(undefined, { ...env, SWITCHYARD_API_URL: 'https://env.example.com' })).toBe('https://env.example.com');
    expect(resolveApiUrl('https://flag.example.com', { ...env, SWITCHYARD_API_URL: 'https://env.example.com' })).toBe('https://flag.example.com');
  });
});

describe('credential_process words', () => {
  it('are bare when plain, else single-quoted, read alike by sh and by Python shlex (botocore)', () => {
    expect(shellWord('/usr/bin/node')).toBe('/usr/bin/node');
    const tricky = `/Users/Jo Doe/it's "a" $HOME \`x\` \\n`;
    const quoted = shellWord(tricky);
    const bySh = spawnSync('sh', ['-c', `printf '%s' ${quoted}`], { encoding: 'utf8' }).stdout;
    const byShlex = spawnSync('python3', ['-c', 'import shlex, sys; sys.stdout.write(shlex.split(sys.argv[1])[0])', quoted], {
      encoding: 'utf8',
    }).stdout;
    expect(bySh).toBe(tricky);
    expect(byShlex).toBe(tricky);
  });
});

describe('configure --print', () => {
  it('keeps a backslash of a line a backslash (C:\\node is not a line break), and escapes a control character', () => {
    const line = `${shellWord('C:\\node\\node.exe')} credentials --account 111111111111 --permission-set Developer`;
    const printed = printedBlock([{ name: 'sandbox/Developer', settings: [['credential_process', line]] }], ['a note\twith a tab']);
    expect(printed).toContain(`credential_process = 'C:\\node\\node.exe' credentials`);
    expect(printed).toContain('# a note\\twith a tab\n');
    expect(printed.endsWith('\n')).toBe(true);
  });
});

describe("a person command's failure", () => {
  it('is one harmless line: what the API said is printed with its control characters escaped', async () => {
    let said = '';
    const io = { stdout: () => undefined, stderr: (text: string) => (said += text), env: {} };
    const refused = new ApiRefused(403, 'forbidden', 'you may not use Dev\u001b[2J\nops in account 111111111111');
    expect(await asPerson('credentials', io, () => Promise.reject(refused))).toBe(1);
    expect(said).toBe('switchyard credentials: you may not use Dev\\u001b[2J\\nops in account 111111111111\n');
  });
});
