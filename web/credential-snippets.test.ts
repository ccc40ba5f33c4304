import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { credentialSnippets } from './credential-snippets.ts';

const PAIR = { accountId: '111122223333', accountName: 'payments dev [eu]', permissionSet: 'Developer' };
const CREDENTIALS = {
  AccessKeyId: 'ASIAEXAMPLEKEYID0001',
  SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  SessionToken: "FwoGZXIvYXdzEJr//////////wEaD+token=with'quote",
  Expiration: '2026-12-06T22:00:00Z',
  Region: 'eu-west-1',
};

describe('credentialSnippets', () => {
  const snippets = credentialSnippets(PAIR, CREDENTIALS);

  it('writes bash exports that a shell reads back exactly', () => {
    const script = `${snippets?.bash}\nprintf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_REGION"`;
    const printed = execFileSync('bash', ['--noprofile', '--norc', '-c', script], { encoding: 'utf8', env: {} }).trimEnd().split('\n');
    expect(printed).toEqual([CREDENTIALS.AccessKeyId, CREDENTIALS.SecretAccessKey, CREDENTIALS.SessionToken, CREDENTIALS.Region]);
  });

  it("writes PowerShell assignments with PowerShell's quoting", () => {
    expect(snippets?.powershell.split('\n')).toEqual([
      `$Env:AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEKEYID0001'`,
      `$Env:AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'`,
      `$Env:AWS_SESSION_TOKEN = 'FwoGZXIvYXdzEJr//////////wEaD+token=with''quote'`,
      `$Env:AWS_REGION = 'eu-west-1'`,
    ]);
  });

  it("writes a credentials file profile and the configure profile under the pair's profile name", () => {
    expect(snippets?.credentialsFile.split('\n')).toEqual([
      '[payments-dev--eu-/Developer]',
      'aws_access_key_id = ASIAEXAMPLEKEYID0001',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `aws_session_token = ${CREDENTIALS.SessionToken}`,
    ]);
    expect(snippets?.configProfile.split('\n')).toEqual([
      '[profile payments-dev--eu-/Developer]',
      'credential_process = switchyard credentials --account 111122223333 --permission-set Developer',
      'region = eu-west-1',
    ]);
  });

  it('refuses values that are not plain printable text rather than paste them into a shell', () => {
    expect(credentialSnippets(PAIR, { ...CREDENTIALS, SessionToken: 'token\nrm -rf ~' })).toBeUndefined();
    expect(credentialSnippets(PAIR, { ...CREDENTIALS, AccessKeyId: '' })).toBeUndefined();
    expect(credentialSnippets(PAIR, { ...CREDENTIALS, Region: 'eu-west-1 ; id' })).toBeUndefined();
  });
});
