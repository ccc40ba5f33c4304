/**
 * The environment each template gives each Lambda, evaluated for several deployments, against the
 * one configuration schema (backend/config/config.ts): every variable is one the schema knows, and
 * the whole environment parses with that function's own parser (apiConfig, reconcilerConfig), as
 * Lambda will hand it over (AWS_REGION added by Lambda). When a variable is renamed on either side,
 * this fails. Also: the bucket notification matches the commit key of the bucket layout and nothing
 * else, the lock expiry outlasts the reconcile Lambda's timeout, and CORS takes no wildcard.
 */
import { describe, expect, it } from 'vitest';
import { bucketLayout } from '../../backend/bucket/layout.ts';
import { apiConfig, EnvSchema, reconcilerConfig, scheduledReportConfig, type EnvInput } from '../../backend/config/config.ts';
import { LAMBDA_RUNTIME } from '../../backend/deploy/bundle.ts';
import { loadTemplate } from '../../backend/deploy/template.ts';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../extension/settings/settings.ts';
import { deploymentOf, evaluate, propertiesOf, resourcesOf, type Deployment } from '../helpers/cloudformation.ts';

const management = loadTemplate('management');
const REQUIRED = {
  CodeBucket: 'artifacts-111122223333',
  OrganizationId: 'o-a1b2c3d4e5',
  ExtensionOrigins: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
};
const LDAP = { LdapUrls: 'ldaps://10.0.1.10,ldaps://10.0.2.10', LdapBaseDn: 'DC=corp,DC=example,DC=com', LdapUpnSuffixes: 'corp.example.com' };
const USER_POOL = {
  CognitoUserPool: 'true',
  CognitoDomainPrefix: 'example-switchyard',
  CognitoCallbackUrls:
    'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/,https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/',
};

const SCENARIOS: Record<string, Record<string, string>> = {
  'directory over LDAPS, outside a VPC': { ...REQUIRED, ...LDAP },
  'directory in VPC subnets, own CA, every sign-in option, a policy folder': {
    ...REQUIRED,
    ...LDAP,
    ...USER_POOL,
    LdapUpnSuffixes: 'corp.example.com,example.com',
    LdapNetbiosDomain: 'CORP',
    LdapCaCertificate: 'packaged',
    VpcId: 'vpc-0123456789abcdef0',
    SubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    DirectoryCidr: '10.0.0.0/16',
    PolicyPrefix: 'teams/platform/',
    RequestsWebhookSecret: 'switchyard/requests-webhook-AbCdEf',
    ExtensionOrigins: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop,moz-extension://0f0e0d0c-0b0a-4908-8706-050403020100',
  },
  'Cognito user pool only, in another partition': { ...REQUIRED, ...USER_POOL, Directory: 'none' },
  'a scheduled access report, directory in VPC subnets with its reader account and own CA, a policy folder': {
    ...REQUIRED,
    ...LDAP,
    AccessReportSchedule: 'cron(0 6 1 * ? *)',
    LdapServiceAccount: 'CN=switchyard-reader,OU=Service,DC=corp,DC=example,DC=com',
    LdapServicePasswordSecret: 'switchyard/ldap-reader-AbCdEf',
    LdapCaCertificate: 'packaged',
    VpcId: 'vpc-0123456789abcdef0',
    SubnetIds: 'subnet-0123456789abcdef0',
    DirectoryCidr: '10.0.0.0/16',
    PolicyPrefix: 'teams/platform/',
  },
  'a scheduled access report, Cognito user pool only': { ...REQUIRED, ...USER_POOL, Directory: 'none', AccessReportSchedule: 'rate(7 days)' },
};

/** Lambda sets these itself and refuses a function that sets them (reserved variables). */
const RESERVED =
  /^(AWS_(REGION|DEFAULT_REGION|ACCESS_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|EXECUTION_ENV|LAMBDA_.*)|_HANDLER|_X_AMZN_TRACE_ID|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR|TZ)$/;

/** Each Lambda's configuration parser, by the bundle its code comes from. */
const PARSERS: Record<string, (env: EnvInput) => unknown> = {
  'api.zip': apiConfig,
  'reconciler.zip': reconcilerConfig,
  'access-report.zip': scheduledReportConfig,
};

function functionsOf(deployment: Deployment) {
  return Object.entries(resourcesOf(deployment))
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id]) => {
      const properties = propertiesOf(deployment, id) as {
        Code: { S3Key: string };
        Runtime: string;
        Handler: string;
        Timeout: number;
        Environment: { Variables: Record<string, unknown> };
      };
      return { id, properties, bundle: properties.Code.S3Key.split('/').pop() ?? '' };
    });
}

describe.each(Object.entries(SCENARIOS))('management template, %s', (_name, parameters) => {
  const region = parameters.Directory === 'none' ? 'us-gov-west-1' : 'eu-west-1';
  const deployment = deploymentOf(management, parameters, { region, partition: region.startsWith('us-gov') ? 'aws-us-gov' : 'aws' });
  const functions = functionsOf(deployment);

  it('has the API and the reconciler (and the access report when scheduled), each on Node 22 from its own bundle', () => {
    const expected = ['api.zip', 'reconciler.zip', ...(parameters.AccessReportSchedule ? ['access-report.zip'] : [])];
    expect(functions.map((f) => f.bundle).sort()).toEqual(expected.sort());
    for (const f of functions) expect([f.properties.Runtime, f.properties.Handler]).toEqual([LAMBDA_RUNTIME, 'index.handler']);
  });

  it.each(functions.map((f) => [f.id, f] as const))('%s: every variable is in the schema and the environment parses', (_id, f) => {
    const variables = f.properties.Environment.Variables;
    const names = Object.keys(variables);
    expect(names.filter((name) => !(name in EnvSchema.shape))).toEqual([]);
    expect(names.filter((name) => RESERVED.test(name))).toEqual([]);
    const env = { AWS_REGION: region, ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])) };
    const parser = PARSERS[f.bundle];
    if (!parser) throw new Error(`no configuration parser for ${f.bundle}`);
    expect(() => parser(env)).not.toThrow();
  });

  it('the API and the reconciler read the same bucket folder', () => {
    const env = (bundle: string) => {
      const f = functions.find((candidate) => candidate.bundle === bundle);
      return { AWS_REGION: region, ...(f?.properties.Environment.Variables as Record<string, string>) };
    };
    expect(apiConfig(env('api.zip')).policy).toEqual(reconcilerConfig(env('reconciler.zip')).policy);
    if (!parameters.AccessReportSchedule) return;
    const report = scheduledReportConfig(env('access-report.zip'));
    const api = apiConfig(env('api.zip'));
    expect([report.policy, report.stateTable, report.directory]).toEqual([api.policy, api.stateTable, api.signIn.directory]);
    expect(report.cognitoUserPoolId).toBe(api.signIn.cognito?.userPoolId);
    expect(report.reportsTopicArn).toMatch(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:switchyard-reports$/);
  });

  it('the API and the reconciler announce elevation changes alike: the requests topic, and the webhook secret the parameter names (or none)', () => {
    const env = (bundle: string) => {
      const f = functions.find((candidate) => candidate.bundle === bundle);
      return { AWS_REGION: region, ...(f?.properties.Environment.Variables as Record<string, string>) };
    };
    const api = apiConfig(env('api.zip')).elevation;
    expect(api.topicArn).toMatch(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:switchyard-requests$/);
    expect(api.webhookSecretArn).toBe(
      parameters.RequestsWebhookSecret
        ? `arn:${deployment.partition}:secretsmanager:${region}:${deployment.accountId}:secret:${parameters.RequestsWebhookSecret}`
        : undefined,
    );
    expect(reconcilerConfig(env('reconciler.zip')).elevation).toEqual(api);
  });

  it('the bucket starts a reconcile on the commit object of its policy folder and on a revoked grant\'s "reconcile now", and on nothing else the layout writes', () => {
    const bucket = propertiesOf(deployment, 'PolicyBucket') as {
      NotificationConfiguration: { LambdaConfigurations: { Event: string; Filter: { S3Key: { Rules: { Name: string; Value: string }[] } } }[] };
    };
    const notifications = bucket.NotificationConfiguration.LambdaConfigurations;
    expect(notifications.map((notification) => notification.Event)).toEqual(['s3:ObjectCreated:*', 's3:ObjectCreated:*']);
    const matchers = notifications.map((notification) => {
      const rules = Object.fromEntries(notification.Filter.S3Key.Rules.map((rule) => [rule.Name, rule.Value]));
      return (key: string) => key.startsWith(rules.prefix ?? '\0') && key.endsWith(rules.suffix ?? '\0');
    });
    const matches = (key: string) => matchers.some((match) => match(key));
    const layout = bucketLayout(String(deployment.parameters.PolicyPrefix));
    expect(matches(layout.commit)).toBe(true);
    expect(matches(layout.reconcileRequest('abcdefghijklmnop'))).toBe(true);
    const written = [
      layout.lock,
      layout.rerun,
      layout.report,
      layout.accountsState,
      layout.publishedPolicy,
      layout.publishedHistory('20261128T014233123Z-3f9a1c'),
      layout.accessReportFile('2026-12-01', 'csv'),
      layout.accessReportFile('2026-12-01', 'jsonl'),
    ];
    const generation = layout.generationFile('20261128T014233123Z-3f9a1c', 'policies/current.json');
    const elsewhere = bucketLayout('elsewhere/');
    for (const key of [...written, generation, elsewhere.commit, elsewhere.reconcileRequest('abcdefghijklmnop')])
      expect(matches(key), key).toBe(false);
  });

  it('keeps sign-in state in the state table, whose items end by their ttl, and nothing of it in the bucket', () => {
    const bucket = propertiesOf(deployment, 'PolicyBucket') as {
      LifecycleConfiguration: { Rules: { Id: string; Prefix?: string; ExpirationInDays?: number }[] };
    };
    // One rule alone expires current objects: a revoked grant's request for a reconcile run, done once it ran.
    // Everything else the bucket holds is the policy and the reconciler's state.
    const expiring = bucket.LifecycleConfiguration.Rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring.map((rule) => rule.Prefix)).toEqual([`${String(deployment.parameters.PolicyPrefix ?? '')}_switchyard/reconcile-requests/`]);
    const table = propertiesOf(deployment, 'StateTable') as { TimeToLiveSpecification: { AttributeName: string; Enabled: boolean } };
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
  });
});

describe("the outputs the extension's managed policy and the CLI need", () => {
  it.each(Object.entries(SCENARIOS))('%s: ExtensionSettings is settings the extension accepts, pointing at the API', (_name, parameters) => {
    const deployment = deploymentOf(management, parameters);
    const settings = JSON.parse(String(evaluate(deployment, management.Outputs?.ExtensionSettings?.Value))) as Record<string, unknown>;
    expect(() => SettingsSchema.partial().parse(settings)).not.toThrow();
    expect(() => SettingsSchema.parse({ ...DEFAULT_SETTINGS, ...settings })).not.toThrow();
    expect(settings.apiUrl).toBe(evaluate(deployment, management.Outputs?.ApiUrl?.Value));
    const withPool = parameters.CognitoUserPool === 'true';
    const withDirectory = parameters.Directory !== 'none';
    expect(settings.signInMethod).toBe(withPool && withDirectory ? 'auto' : withPool ? 'cognito' : 'directory');
    if (withPool) {
      expect(settings.cognito).toEqual({
        domain: evaluate(deployment, management.Outputs?.UserPoolDomainUrl?.Value),
        clientId: evaluate(deployment, management.Outputs?.UserPoolClientId?.Value),
      });
    }
  });

  it('CliEnvironment sets what the CLI reads, with the values the functions get', () => {
    const deployment = deploymentOf(management, { ...REQUIRED, ...LDAP, PolicyPrefix: 'teams/platform/' });
    const line = String(evaluate(deployment, management.Outputs?.CliEnvironment?.Value));
    const env = Object.fromEntries([...line.matchAll(/(\w+)=(\S*)/g)].map((match) => [match[1], match[2]]));
    const reconcile = functionsOf(deployment).find((f) => f.bundle === 'reconciler.zip');
    const config = reconcilerConfig(env);
    expect(config.policy).toEqual(
      reconcilerConfig({ AWS_REGION: 'eu-west-1', ...(reconcile?.properties.Environment.Variables as Record<string, string>) }).policy,
    );
    expect(config.identityPoolId).toBe(reconcile?.properties.Environment.Variables.SWITCHYARD_IDENTITY_POOL_ID);
    expect(config.developerProvider).toBe(reconcile?.properties.Environment.Variables.SWITCHYARD_DEVELOPER_PROVIDER);
  });
});

describe('reconcile Lambda timeout and lock expiry', () => {
  const deployment = deploymentOf(management, { ...REQUIRED, ...LDAP });
  const reconcile = functionsOf(deployment).find((f) => f.bundle === 'reconciler.zip');
  const ttl = management.Parameters?.LockTtlSeconds;
  /** Clock skew between the Lambda and S3, and the time from invocation to taking the lock. */
  const MARGIN_SECONDS = 120;

  it('a run is stopped by its timeout well before its lock could be taken over', () => {
    const timeout = reconcile?.properties.Timeout ?? Infinity;
    expect(timeout).toBeLessThanOrEqual(900); // Lambda's limit
    expect(timeout + MARGIN_SECONDS).toBeLessThanOrEqual(Number(ttl?.MinValue));
    expect(Number(ttl?.MinValue)).toBeLessThanOrEqual(Number(ttl?.Default));
  });

  it("the template's lock expiry is the one the function gets, and its default is the configuration's", () => {
    expect(management.Resources.ReconcileFunction?.Properties?.Environment).toEqual({
      Variables: expect.objectContaining({ SWITCHYARD_LOCK_TTL_SECONDS: { Ref: 'LockTtlSeconds' } }),
    });
    const withoutTtl = {
      SWITCHYARD_POLICY_BUCKET: 'b-1',
      SWITCHYARD_IDENTITY_POOL_ID: 'eu-west-1:11111111-2222-3333-4444-555555555555',
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard',
    };
    expect(Number(ttl?.Default) * 1000).toBe(reconcilerConfig(withoutTtl).lockTtlMs);
  });
});

describe('the two templates agree', () => {
  const member = loadTemplate('member');
  const defaults = (template: typeof management, name: string) => String(template.Parameters?.[name]?.Default);

  it("by default, the member's access role trusts the management template's reconcile role, by the name the reconciler assumes", () => {
    const reconcileRole = propertiesOf<{ RoleName: string }>(deploymentOf(management, { ...REQUIRED, ...LDAP }), 'ReconcileRole');
    expect(defaults(member, 'ReconcilerRoleName')).toBe(reconcileRole.RoleName);
    expect(defaults(member, 'AccessRoleName')).toBe(defaults(management, 'AccessRoleName'));
    const env = {
      SWITCHYARD_POLICY_BUCKET: 'b-1',
      SWITCHYARD_IDENTITY_POOL_ID: 'eu-west-1:11111111-2222-3333-4444-555555555555',
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard',
    };
    expect(reconcilerConfig(env).accessRoleName).toBe(defaults(member, 'AccessRoleName'));
  });
});

describe('management template parameters', () => {
  const pattern = new RegExp(management.Parameters?.ExtensionOrigins?.AllowedPattern ?? '^$');

  it('CORS takes the extension IDs, never a wildcard or a web origin', () => {
    for (const bad of ['chrome-extension://*', 'moz-extension://*', '*', 'https://evil.example', 'chrome-extension://abc', '']) {
      expect(pattern.test(bad), bad).toBe(false);
    }
    const good = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop,moz-extension://0f0e0d0c-0b0a-4908-8706-050403020100';
    expect(pattern.test(good)).toBe(true);
  });

  it('a deployment with a missing required parameter is refused before anything is created', () => {
    expect(() => deploymentOf(management, { ...LDAP, CodeBucket: REQUIRED.CodeBucket })).toThrow(/OrganizationId has no default/);
    expect(() => deploymentOf(management, { ...REQUIRED, OrganizationId: 'my-org' })).toThrow(/OrganizationId.*AllowedPattern/);
  });
});
