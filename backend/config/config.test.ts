import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiConfig, ConfigError, planConfig, reconcilerConfig } from './config.ts';

const secret = randomBytes(32).toString('base64');
const api = {
  SWITCHYARD_POLICY_BUCKET: 'switchyard-policy',
  SWITCHYARD_IDENTITY_POOL_ID: 'eu-west-1:0f0e0d0c-0b0a-0908-0706-050403020100',
  SWITCHYARD_DEVELOPER_PROVIDER: 'login.example.com',
  SWITCHYARD_SESSION_SECRET: secret,
  SWITCHYARD_DIRECTORY_FILE: '/etc/switchyard/directory.json',
};

function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('names every missing and every bad variable at once', () => {
    const problems = problemsOf(() =>
      reconcilerConfig({ SWITCHYARD_RECONCILE_CONCURRENCY: 'ten', SWITCHYARD_DELETION_GUARD_SHARE: '1.5', AWS_REGION: 'Europe' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'SWITCHYARD_POLICY_BUCKET is not set',
        'SWITCHYARD_IDENTITY_POOL_ID is not set',
        expect.stringMatching(/^SWITCHYARD_RECONCILE_CONCURRENCY must be a whole number from 1 to 100$/),
        expect.stringMatching(/^SWITCHYARD_DELETION_GUARD_SHARE must be a number from 0 to 1$/),
        expect.stringMatching(/^AWS_REGION must be a region/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('never quotes a value: a short session secret is named, not shown', () => {
    const weak = Buffer.from('too-short-but-secret').toString('base64');
    let message = '';
    try {
      apiConfig({ ...api, SWITCHYARD_SESSION_SECRET: weak });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SWITCHYARD_SESSION_SECRET must be base64 of at least 32 bytes');
    expect(message).not.toContain(weak);
  });

  it('treats empty strings as unset and applies defaults', () => {
    const config = reconcilerConfig({ ...api, SWITCHYARD_POLICY_PREFIX: '', SWITCHYARD_RECONCILE_CONCURRENCY: '' });
    expect(config).toMatchObject({
      aws: { region: 'us-east-1', partition: 'aws', maxAttempts: 6 },
      policy: { bucket: 'switchyard-policy', prefix: '' },
      concurrency: 10,
      deletionGuardShare: 0.25,
      lockTtlMs: 900_000,
      accessRoleName: 'SwitchyardReconcilerAccess',
    });
  });

  it('gives the API and the reconciler the same bucket folder, however the prefix is written', () => {
    for (const written of ['teams/a', 'teams/a/', '/teams/a/']) {
      const env = { ...api, SWITCHYARD_POLICY_PREFIX: written };
      expect(apiConfig(env).policy).toEqual({ bucket: 'switchyard-policy', prefix: 'teams/a/' });
      expect(reconcilerConfig(env).policy).toEqual(apiConfig(env).policy);
    }
    expect(problemsOf(() => reconcilerConfig({ ...api, SWITCHYARD_POLICY_PREFIX: '../other' }))).toEqual([
      'SWITCHYARD_POLICY_PREFIX must be a plain folder name',
    ]);
  });

  it('decides the partition once, from the deployment region', () => {
    expect(apiConfig({ ...api, AWS_REGION: 'cn-north-1' }).aws.partition).toBe('aws-cn');
    expect(apiConfig({ ...api, AWS_REGION: 'us-gov-west-1' }).aws.partition).toBe('aws-us-gov');
    expect(apiConfig({ ...api, AWS_DEFAULT_REGION: 'eu-central-1' }).aws).toMatchObject({ region: 'eu-central-1', partition: 'aws' });
    expect(() => apiConfig({ ...api, AWS_REGION: 'us-iso-east-1' })).toThrow(
      /AWS_REGION must be a region of aws, aws-us-gov or aws-cn \(the ISO partitions are not supported\)/,
    );
  });

  it('asks a planner of a local folder for the identity pool only', () => {
    expect(planConfig({ SWITCHYARD_IDENTITY_POOL_ID: api.SWITCHYARD_IDENTITY_POOL_ID }).policy).toBeUndefined();
    expect(problemsOf(() => planConfig({}))).toEqual(['SWITCHYARD_IDENTITY_POOL_ID is not set']);
  });

  it('accepts only extension origins for CORS', () => {
    expect(
      apiConfig({ ...api, SWITCHYARD_ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, moz-extension://*' }).allowedOrigins,
    ).toEqual(['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://*']);
    expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_ALLOWED_ORIGINS: 'https://evil.example' }))[0]).toMatch(
      /^SWITCHYARD_ALLOWED_ORIGINS\.0 must list extension origins/,
    );
  });

  it('as deployed: the session key from Secrets Manager, a directory over LDAP, no embedded file', () => {
    const { SWITCHYARD_SESSION_SECRET: _secret, SWITCHYARD_DIRECTORY_FILE: _file, ...base } = api;
    const deployed = {
      ...base,
      SWITCHYARD_SESSION_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:switchyard-session-key-AbCdEf',
      SWITCHYARD_DIRECTORY: 'ldap',
    };
    expect(problemsOf(() => apiConfig(deployed))).toEqual(['SWITCHYARD_LDAP_URLS is not set', 'SWITCHYARD_LDAP_BASE_DN is not set']);
    const config = apiConfig({
      ...deployed,
      SWITCHYARD_LDAP_URLS: 'ldaps://10.0.1.10, ldaps://10.0.2.10:636',
      SWITCHYARD_LDAP_BASE_DN: 'DC=corp,DC=example,DC=com',
    });
    expect(config.sessionKey).toEqual({ secretArn: deployed.SWITCHYARD_SESSION_KEY_SECRET_ARN });
    expect(config.directory).toEqual({ kind: 'ldap' });
    expect(problemsOf(() => apiConfig(base))).toEqual(['SWITCHYARD_SESSION_SECRET is not set', 'SWITCHYARD_DIRECTORY_FILE is not set']);
    expect(problemsOf(() => apiConfig({ ...deployed, SWITCHYARD_DIRECTORY: 'none', SWITCHYARD_LDAP_URLS: 'https://x' }))[0]).toMatch(
      /^SWITCHYARD_LDAP_URLS\.0 must list ldaps:\/\/ URLs/,
    );
  });
});
