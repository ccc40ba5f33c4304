import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketLayout } from '../bucket/layout.ts';
import { apiConfig, ConfigError, groupMembersConfig, planConfig, reconcilerConfig } from './config.ts';

const secret = randomBytes(32).toString('base64');
const api = {
  SWITCHYARD_POLICY_BUCKET: 'switchyard-policy',
  SWITCHYARD_IDENTITY_POOL_ID: 'eu-west-1:0f0e0d0c-0b0a-0908-0706-050403020100',
  SWITCHYARD_DEVELOPER_PROVIDER: 'login.example.com',
  SWITCHYARD_STATE_TABLE: 'switchyard-state',
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
        'SWITCHYARD_DEVELOPER_PROVIDER is not set',
        expect.stringMatching(/^SWITCHYARD_RECONCILE_CONCURRENCY must be a whole number from 1 to 100$/),
        expect.stringMatching(/^SWITCHYARD_DELETION_GUARD_SHARE must be a number from 0 to 1$/),
        expect.stringMatching(/^AWS_REGION must be a region/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('names the state table when the API is given none', () => {
    const { SWITCHYARD_STATE_TABLE: _table, ...withoutTable } = api;
    expect(problemsOf(() => apiConfig(withoutTable))).toEqual(['SWITCHYARD_STATE_TABLE is not set']);
    expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_STATE_TABLE: 'a' }))).toEqual([
      expect.stringMatching(/^SWITCHYARD_STATE_TABLE must be a DynamoDB table name/),
    ]);
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
      concurrency: 25,
      deletionGuardShare: 0.25,
      lockTtlMs: 900_000,
      accessRoleName: 'SwitchyardReconcilerAccess',
    });
  });

  it('gives the API and the reconciler the same bucket folder, however the prefix is written', () => {
    for (const written of ['teams/a', 'teams/a/', '/teams/a/']) {
      const env = { ...api, SWITCHYARD_POLICY_PREFIX: written };
      expect(reconcilerConfig(env).policy).toEqual(apiConfig(env).policy);
      expect(bucketLayout(apiConfig(env).policy.prefix).commit).toBe('teams/a/_switchyard/current.json');
    }
    expect(problemsOf(() => reconcilerConfig({ ...api, SWITCHYARD_POLICY_PREFIX: '../other' }))).toEqual([
      'SWITCHYARD_POLICY_PREFIX must be a plain folder name',
    ]);
  });

  it('decides the partition once, from the deployment region', () => {
    expect(apiConfig({ ...api, AWS_REGION: 'cn-north-1' }).aws.partition).toBe('aws-cn');
    expect(apiConfig({ ...api, AWS_REGION: 'us-gov-west-1' }).aws.partition).toBe('aws-us-gov');
    expect(apiConfig({ ...api, AWS_DEFAULT_REGION: 'eu-central-1' }).aws).toMatchObject({ region: 'eu-central-1', partition: 'aws' });
    expect(problemsOf(() => apiConfig({ ...api, AWS_REGION: 'us-iso-east-1' }))).toEqual([
      'AWS_REGION must be a region of aws, aws-us-gov or aws-cn; it names one of aws-iso, a partition Switchyard does not serve',
    ]);
  });

  it('knows regions from the AWS SDK partition data, not from their shape alone', () => {
    expect(problemsOf(() => apiConfig({ ...api, AWS_REGION: 'xx-south-1' }))).toEqual([
      'AWS_REGION must be a region such as eu-west-1; no AWS partition names its regions like this',
    ]);
    expect(apiConfig({ ...api, AWS_REGION: 'ap-southeast-123' }).aws).toMatchObject({ region: 'ap-southeast-123', partition: 'aws' });
    expect(problemsOf(() => apiConfig({ ...api, AWS_REGION: 'eusc-de-east-1' }))).toEqual([
      'AWS_REGION must be a region of aws, aws-us-gov or aws-cn; it names one of aws-eusc, a partition Switchyard does not serve',
    ]);
  });

  it('asks a planner of a local folder for the identity pool and its developer provider only: the trust policies name them', () => {
    const trust = { SWITCHYARD_IDENTITY_POOL_ID: api.SWITCHYARD_IDENTITY_POOL_ID, SWITCHYARD_DEVELOPER_PROVIDER: api.SWITCHYARD_DEVELOPER_PROVIDER };
    expect(planConfig(trust).policy).toBeUndefined();
    expect(planConfig(trust).developerProvider).toBe(api.SWITCHYARD_DEVELOPER_PROVIDER);
    expect(problemsOf(() => planConfig({}))).toEqual(['SWITCHYARD_IDENTITY_POOL_ID is not set', 'SWITCHYARD_DEVELOPER_PROVIDER is not set']);
  });

  it('accepts only extension origins for CORS', () => {
    expect(
      apiConfig({ ...api, SWITCHYARD_ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, moz-extension://*' }).allowedOrigins,
    ).toEqual(['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://*']);
    expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_ALLOWED_ORIGINS: 'https://evil.example' }))[0]).toMatch(
      /^SWITCHYARD_ALLOWED_ORIGINS\.0 must list extension origins/,
    );
  });

  describe('sign-in', () => {
    const ldap = {
      ...api,
      SWITCHYARD_DIRECTORY: 'ldap',
      SWITCHYARD_LDAP_URLS: 'ldaps://dc1.corp.example.com, ldaps://dc2.corp.example.com:636',
      SWITCHYARD_LDAP_BASE_DN: 'DC=corp,DC=example,DC=com',
      SWITCHYARD_LDAP_UPN_SUFFIXES: 'corp.example.com,Example.com',
    };

    it('defaults to the embedded directory, a 10-minute access token and an 8-hour sign-in', () => {
      expect(apiConfig(api).signIn).toMatchObject({
        directory: { kind: 'embedded', file: '/etc/switchyard/directory.json' },
        sessionKey: { kind: 'secret' },
        accessTokenSeconds: 600,
        sessionSeconds: 28_800,
      });
      expect(apiConfig(api).signIn.cognito).toBeUndefined();
    });

    it('reads an LDAP directory: URLs in order, suffixes in lower case, nested groups by default', () => {
      expect(apiConfig(ldap).signIn.directory).toEqual({
        kind: 'ldap',
        ldap: {
          urls: ['ldaps://dc1.corp.example.com', 'ldaps://dc2.corp.example.com:636'],
          startTls: false,
          allowPlain: false,
          baseDn: 'DC=corp,DC=example,DC=com',
          upnSuffixes: ['corp.example.com', 'example.com'],
          groups: 'ad-nested',
          timeoutMs: 2000,
        },
      });
    });

    it('refuses plain LDAP unless StartTLS or an explicit allowance, and StartTLS on ldaps://', () => {
      expect(problemsOf(() => apiConfig({ ...ldap, SWITCHYARD_LDAP_URLS: 'ldap://dc1.corp.example.com' }))).toEqual([
        expect.stringMatching(/^SWITCHYARD_LDAP_URLS names ldap:\/\/dc1\.corp\.example\.com without TLS: set SWITCHYARD_LDAP_STARTTLS=true/),
      ]);
      expect(apiConfig({ ...ldap, SWITCHYARD_LDAP_URLS: 'ldap://dc1', SWITCHYARD_LDAP_STARTTLS: 'true' }).signIn.directory).toMatchObject({
        ldap: { startTls: true },
      });
      expect(apiConfig({ ...ldap, SWITCHYARD_LDAP_URLS: 'ldap://dc1', SWITCHYARD_LDAP_ALLOW_PLAIN: 'true' }).signIn.directory).toMatchObject({
        ldap: { allowPlain: true },
      });
      expect(problemsOf(() => apiConfig({ ...ldap, SWITCHYARD_LDAP_STARTTLS: 'true' }))[0]).toMatch(/StartTLS upgrades ldap:\/\/ URLs/);
    });

    it('names what an LDAP directory lacks, and malformed values', () => {
      expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_DIRECTORY: 'ldap' }))).toEqual([
        'SWITCHYARD_LDAP_URLS is not set',
        'SWITCHYARD_LDAP_BASE_DN is not set',
        'SWITCHYARD_LDAP_UPN_SUFFIXES is not set',
      ]);
      const problems = problemsOf(() =>
        apiConfig({
          ...ldap,
          SWITCHYARD_LDAP_URLS: 'https://dc1',
          SWITCHYARD_LDAP_BASE_DN: 'corp.example.com',
          SWITCHYARD_LDAP_GROUPS: 'nested',
          SWITCHYARD_LDAP_SERVICE_ACCOUNT: 'svc@corp.example.com',
        }),
      );
      expect(problems).toEqual([
        expect.stringMatching(/^SWITCHYARD_LDAP_URLS\.0 must list ldaps:\/\/ or ldap:\/\/ URLs/),
        'SWITCHYARD_LDAP_BASE_DN must be a DN such as DC=corp,DC=example,DC=com',
        'SWITCHYARD_LDAP_GROUPS must be ad-nested or member',
      ]);
      expect(problemsOf(() => apiConfig({ ...ldap, SWITCHYARD_LDAP_SERVICE_ACCOUNT: 'svc@corp.example.com' }))).toEqual([
        'SWITCHYARD_LDAP_SERVICE_ACCOUNT and SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN go together: set both or neither',
      ]);
    });

    it('needs a way in, a whole Cognito setting, an https hosted UI, and exactly one session key source', () => {
      const { SWITCHYARD_SESSION_SECRET: _secret, ...withoutKey } = api;
      expect(problemsOf(() => apiConfig({ ...withoutKey, SWITCHYARD_DIRECTORY: 'none' }))).toEqual([
        expect.stringMatching(/^SWITCHYARD_DIRECTORY is none and no Cognito user pool is set/),
        expect.stringMatching(/^no session key: set SWITCHYARD_SESSION_KEY_SECRET_ARN, SWITCHYARD_SESSION_KEY_PARAMETER, SWITCHYARD_SESSION_SECRET/),
      ]);
      expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' }))).toEqual([
        'SWITCHYARD_COGNITO_CLIENT_IDS is not set',
        'SWITCHYARD_COGNITO_DOMAIN is not set',
      ]);
      const cognito = {
        SWITCHYARD_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
        SWITCHYARD_COGNITO_CLIENT_IDS: 'abc123,def456',
        SWITCHYARD_COGNITO_DOMAIN: 'https://login.example.com/',
      };
      expect(apiConfig({ ...api, ...cognito, SWITCHYARD_DIRECTORY: 'none' }).signIn).toMatchObject({
        directory: { kind: 'none' },
        cognito: {
          userPoolId: 'eu-west-1_AbC123',
          clientIds: ['abc123', 'def456'],
          domain: 'https://login.example.com',
          scopes: ['openid', 'email', 'profile'],
        },
      });
      expect(problemsOf(() => apiConfig({ ...api, ...cognito, SWITCHYARD_COGNITO_DOMAIN: 'http://login.example.com' }))[0]).toMatch(
        /^SWITCHYARD_COGNITO_DOMAIN must be the hosted UI base URL/,
      );
      expect(apiConfig({ ...api, ...cognito, SWITCHYARD_COGNITO_DOMAIN: 'http://127.0.0.1:4321' }).signIn.cognito?.domain).toBe(
        'http://127.0.0.1:4321',
      );
      expect(problemsOf(() => apiConfig({ ...api, SWITCHYARD_SESSION_KEY_PARAMETER: '/switchyard/session-keys' }))).toEqual([
        'set only one session key source, not SWITCHYARD_SESSION_KEY_PARAMETER and SWITCHYARD_SESSION_SECRET',
      ]);
      expect(apiConfig({ ...withoutKey, SWITCHYARD_SESSION_KEY_PARAMETER: '/switchyard/session-keys' }).signIn.sessionKey).toEqual({
        kind: 'ssm',
        parameter: '/switchyard/session-keys',
      });
    });
  });

  it('asks `plan --people` for a directory or a user pool only, and LDAP for its read-only service account', () => {
    expect(groupMembersConfig({ SWITCHYARD_DIRECTORY_FILE: '/tmp/directory.json' }).directory).toEqual({
      kind: 'embedded',
      file: '/tmp/directory.json',
    });
    expect(groupMembersConfig({ SWITCHYARD_DIRECTORY: 'none', SWITCHYARD_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' })).toMatchObject({
      directory: { kind: 'none' },
      cognitoUserPoolId: 'eu-west-1_AbC123',
    });
    expect(problemsOf(() => groupMembersConfig({}))).toEqual(['SWITCHYARD_DIRECTORY_FILE is not set']);
    expect(problemsOf(() => groupMembersConfig({ SWITCHYARD_DIRECTORY: 'none' }))).toEqual([
      "SWITCHYARD_DIRECTORY is none and no Cognito user pool is set (SWITCHYARD_COGNITO_*): no directory lists the groups' members",
    ]);
    const ldap = {
      SWITCHYARD_DIRECTORY: 'ldap',
      SWITCHYARD_LDAP_URLS: 'ldaps://dc1.corp.example.com',
      SWITCHYARD_LDAP_BASE_DN: 'DC=corp,DC=example,DC=com',
      SWITCHYARD_LDAP_UPN_SUFFIXES: 'corp.example.com',
    };
    expect(problemsOf(() => groupMembersConfig(ldap))).toEqual([
      'SWITCHYARD_LDAP_SERVICE_ACCOUNT is not set: the directory is searched for group members as that read-only account',
    ]);
    const service = {
      SWITCHYARD_LDAP_SERVICE_ACCOUNT: 'svc@corp.example.com',
      SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ldap-AbCdEf',
    };
    expect(groupMembersConfig({ ...ldap, ...service }).directory).toMatchObject({
      kind: 'ldap',
      ldap: { serviceAccount: { bindName: 'svc@corp.example.com' } },
    });
    // No session key is asked for: the CLI signs nobody in.
    expect(problemsOf(() => groupMembersConfig({ ...ldap, ...service, SWITCHYARD_LDAP_URLS: 'ldap://dc1.corp.example.com' }))[0]).toMatch(
      /without TLS/,
    );
  });
});
