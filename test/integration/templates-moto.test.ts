/**
 * The templates deployed into moto's CloudFormation, as far as moto supports their resource types.
 *   - The management template (the packaged one, its Lambda zips uploaded to a code bucket), with the
 *     conditions decided for the parameters first: moto keeps a null where AWS::NoValue stands in a
 *     list. Resources of types moto cannot create are skipped by moto; the test lists them (they are
 *     checked by cfn-lint and the template tests instead) and checks what moto did create.
 *   - The member template in a member account of a moto organization: it must create the access role.
 *     Then the reconciler, with the credentials of the reconcile role the management stack created,
 *     assumes that access role by the name the templates agree on and converges the account: roles
 *     created, then a second run with no write; the policy-ci template's plan role then plans the
 *     same folder through the member template's plan reader role, and finds nothing to change.
 * moto does not enforce IAM policies with resource ARNs or conditions, so whether the grants are
 * enough and no more is proven by templates-grants.test.ts (the bundles and an IAM policy simulator).
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import {
  CreateOpenIDConnectProviderCommand,
  GetRoleCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetBucketEncryptionCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemblePolicyBucket } from '../../backend/assemble/bucket.ts';
import { assemblePlanner, assembleReconciler } from '../../backend/assemble/reconciler.ts';
import { CallCounter, isWriteOperation } from '../../backend/aws/call-counter.ts';
import { createIamClient, createOrganizationsClient, createS3Client, createStsClient, type AwsSettings } from '../../backend/aws/clients.ts';
import { planConfig, reconcilerConfig } from '../../backend/config/config.ts';
import { packageDeployment, type PackageResult } from '../../backend/deploy/package.ts';
import { parseTemplate, type Template } from '../../backend/deploy/template.ts';
import { MOTO_MANAGEMENT_ACCOUNT, startMoto, type MotoServer } from '../../backend/local/moto.ts';
import { planPolicy, runReconcile } from '../../backend/reconcile/run.ts';
import { deploymentOf, propertiesOf, withConditionsDecided } from '../helpers/cloudformation.ts';

const REGION = 'us-east-1';
const CODE_BUCKET = 'switchyard-artifacts';
const IDENTITY_POOL_ID = `${REGION}:0f0e0d0c-0b0a-4908-8706-050403020100`;
/** Types moto's CloudFormation may skip; any other type it fails to create fails the test. */
const KNOWN_UNSUPPORTED =
  /^AWS::(ApiGatewayV2::\w+|Cognito::\w+|SecretsManager::Secret|S3::BucketPolicy|CloudWatch::Alarm|IAM::RolePolicy|Lambda::EventInvokeConfig)$/;

let moto: MotoServer;
let scratch: string;
let packaged: PackageResult;
let orgId: string;
let memberAccount: string;

const parameters = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

async function credentialsIn(settings: AwsSettings, roleArn: string): Promise<AwsSettings> {
  const answer = await createStsClient(settings).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'templates-test' }));
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`moto gave no credentials for ${roleArn}`);
  return { ...settings, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } };
}

/** Creates a stack from the template with its conditions decided, and waits until moto is done. */
async function deploy(settings: AwsSettings, stackName: string, template: Template, values: Record<string, string>, accountId: string) {
  const decided = withConditionsDecided(deploymentOf(template, values, { region: REGION, accountId }));
  const cloudFormation = new CloudFormationClient({ ...settings, maxAttempts: 1 });
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: JSON.stringify(decided),
      Parameters: parameters(values),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    }),
  );
  const stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  const listed = (await cloudFormation.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
  const created = new Map(listed.filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId ?? '', r]));
  const skipped = Object.entries(decided.Resources)
    .filter(([id]) => !created.has(id))
    .map(([, resource]) => resource.Type);
  const outputs = Object.fromEntries((stack?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  return { status: stack?.StackStatus, created, skipped: [...new Set(skipped)].sort(), outputs };
}

beforeAll(async () => {
  moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' }, region: REGION });
  scratch = await mkdtemp(join(tmpdir(), 'switchyard-stacks-'));
  packaged = await packageDeployment({ outDir: join(scratch, 'deploy') });
  const s3 = createS3Client(moto.settings);
  await s3.send(new CreateBucketCommand({ Bucket: CODE_BUCKET }));
  for (const lambda of packaged.lambdas) {
    await s3.send(
      new PutObjectCommand({ Bucket: CODE_BUCKET, Key: `switchyard/${lambda.key}`, Body: await readFile(join(packaged.outDir, lambda.zipPath)) }),
    );
  }
  const organizations = createOrganizationsClient(moto.settings);
  orgId = (await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization?.Id ?? '';
  const request = await organizations.send(new CreateAccountCommand({ AccountName: 'workload', Email: 'workload@example.com' }));
  const status = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }));
  memberAccount = status.CreateAccountStatus?.AccountId ?? '';
}, 180_000);

afterAll(async () => {
  await moto?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const managementParameters = () => ({
  CodeBucket: CODE_BUCKET,
  OrganizationId: orgId,
  ExtensionOrigins: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  LdapUrls: 'ldaps://10.0.1.10,ldaps://10.0.2.10',
  LdapBaseDn: 'DC=corp,DC=example,DC=com',
  VpcId: 'vpc-0123456789abcdef0',
  SubnetIds: 'subnet-0123456789abcdef0',
  DirectoryCidr: '10.0.0.0/16',
  CognitoUserPool: 'true',
  CognitoDomainPrefix: 'switchyard-test',
  CognitoCallbackUrls: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
  // The scheduled access report, so its resources are deployed too (it needs the directory's reader account).
  AccessReportSchedule: 'cron(0 6 1 * ? *)',
  LdapServiceAccount: 'CN=switchyard-reader,OU=Service,DC=corp,DC=example,DC=com',
  LdapServicePasswordSecret: 'switchyard/ldap-reader-AbCdEf',
});

describe('stacks in moto', () => {
  let management: Awaited<ReturnType<typeof deploy>>;

  beforeAll(async () => {
    const template = parseTemplate(await readFile(join(packaged.outDir, 'management.yaml'), 'utf8'));
    management = await deploy(moto.settings, 'switchyard', template, managementParameters(), MOTO_MANAGEMENT_ACCOUNT);
    console.log(`moto's CloudFormation skipped these resource types of the management template: ${management.skipped.join(', ')}`);
  }, 120_000);

  it('the management stack completes; moto skips only types known to be beyond it', () => {
    expect(management.status).toBe('CREATE_COMPLETE');
    expect(management.skipped.filter((type) => !KNOWN_UNSUPPORTED.test(type))).toEqual([]);
    for (const id of [
      'PolicyBucket',
      'ReconcileRole',
      'ReconcileFunction',
      'ReconcileLogGroup',
      'DriftRepairRule',
      'ApiRole',
      'ApiFunction',
      'ApiSecurityGroup',
      'OperationsTopic',
      'ReconcileFailedEvents',
      'AccessReportRole',
      'AccessReportFunction',
      'AccessReportLogGroup',
      'AccessReportRule',
      'AccessReportSecurityGroup',
      'ReportsTopic',
    ]) {
      expect(management.created.get(id)?.ResourceStatus, id).toBe('CREATE_COMPLETE');
    }
  });

  it('the policy bucket is created under its fixed name, encrypted', async () => {
    // moto's CloudFormation applies only BucketEncryption and Tags of AWS::S3::Bucket; versioning, the
    // public access block, the lifecycle rule and the notification are checked by cfn-lint and
    // templates-environment.test.ts instead.
    const bucket = management.outputs.PolicyBucketName ?? '';
    expect(bucket).toBe(`switchyard-policy-${MOTO_MANAGEMENT_ACCOUNT}-${REGION}`);
    const encryption = await createS3Client(moto.settings).send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('the functions run Node 22 with the sized memory and timeout, the reconcile one as the reconcile role', async () => {
    const lambda = new LambdaClient({ ...moto.settings });
    const reconcile = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: management.outputs.ReconcileFunctionName }));
    expect([reconcile.Runtime, reconcile.Handler, reconcile.MemorySize, reconcile.Timeout]).toEqual(['nodejs22.x', 'index.handler', 1024, 780]);
    expect(reconcile.Role).toBe(management.outputs.ReconcilerRoleArn);
    expect(reconcile.Environment?.Variables?.SWITCHYARD_POLICY_BUCKET).toBe(management.outputs.PolicyBucketName);
    const iam = createIamClient(moto.settings);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'switchyard-reconciler' }))).PolicyNames).toEqual(['reconcile']);
    const report = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: management.created.get('AccessReportFunction')?.PhysicalResourceId }),
    );
    expect([report.Runtime, report.MemorySize, report.Timeout]).toEqual(['nodejs22.x', 1024, 900]);
    expect(report.Environment?.Variables?.SWITCHYARD_REPORTS_TOPIC_ARN).toBe(management.outputs.ReportsTopicArn);
  });

  describe('member template, then a real reconcile through its access role', () => {
    let member: Awaited<ReturnType<typeof deploy>>;
    let memberSettings: AwsSettings;

    beforeAll(async () => {
      const template = parseTemplate(await readFile(join(packaged.outDir, 'member.yaml'), 'utf8'));
      // As a StackSet instance: deployed in the member account, by a role of that account.
      memberSettings = await credentialsIn(moto.settings, `arn:aws:iam::${memberAccount}:role/OrganizationAccountAccessRole`);
      const values = { ManagementAccountId: MOTO_MANAGEMENT_ACCOUNT };
      member = await deploy(memberSettings, 'StackSet-switchyard-member', template, values, memberAccount);
      // moto bug: a role's inline policy created by moto's CloudFormation is stored as an object, and
      // GetAccountAuthorizationDetails then fails on that account. Writing the same document again
      // through IAM stores it as AWS does.
      for (const logicalId of ['AccessRole', 'PlanReaderRole']) {
        const { RoleName, Policies } = propertiesOf<{ RoleName: string; Policies: { PolicyName: string; PolicyDocument: unknown }[] }>(
          deploymentOf(template, values, { region: REGION, accountId: memberAccount }),
          logicalId,
        );
        for (const policy of Policies) {
          await createIamClient(memberSettings).send(
            new PutRolePolicyCommand({ RoleName, PolicyName: policy.PolicyName, PolicyDocument: JSON.stringify(policy.PolicyDocument) }),
          );
        }
      }
    }, 60_000);

    it('creates the access role in the member account, trusting only the reconcile role', async () => {
      expect(member.status).toBe('CREATE_COMPLETE');
      expect(member.skipped).toEqual([]);
      const role = await createIamClient(memberSettings).send(new GetRoleCommand({ RoleName: 'SwitchyardReconcilerAccess' }));
      expect(role.Role?.Arn).toBe(`arn:aws:iam::${memberAccount}:role/SwitchyardReconcilerAccess`);
      expect(member.outputs.AccessRoleArn).toBe(role.Role?.Arn);
      const trust = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '{}')) as { Statement: { Condition: unknown }[] };
      expect(trust.Statement[0]?.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': management.outputs.ReconcilerRoleArn } });
    });

    it('the reconciler, as the deployed reconcile role, assumes it and converges the account', async () => {
      const asReconciler = await credentialsIn(moto.settings, management.outputs.ReconcilerRoleArn ?? '');
      const files = {
        'accounts.yaml': stringify({ accounts: [{ id: memberAccount, name: 'workload', regions: [REGION] }] }),
        'permission-sets/Operator.yaml': stringify({
          description: 'Runs the workload',
          sessionDuration: 'PT4H',
          inlinePolicy: '../policies/operator.json',
        }),
        'policies/operator.json': JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['ec2:Describe*'], Resource: '*' }],
        }),
        'assignments.yaml': stringify({ assignments: [{ group: 'Operators', permissionSet: 'Operator', accounts: '*' }] }),
      };
      const env = {
        AWS_REGION: REGION,
        SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
        SWITCHYARD_LOG_LEVEL: 'SILENT',
        SWITCHYARD_POLICY_BUCKET: management.outputs.PolicyBucketName,
        SWITCHYARD_IDENTITY_POOL_ID: IDENTITY_POOL_ID,
        SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard',
        SWITCHYARD_ACCESS_ROLE_NAME: 'SwitchyardReconcilerAccess',
      };
      await assemblePolicyBucket(asReconciler, { bucket: env.SWITCHYARD_POLICY_BUCKET ?? '', prefix: '' }).push(
        Object.entries(files).map(([path, content]) => ({ path, content })),
      );
      const counter = new CallCounter();
      const reconciler = () => assembleReconciler(reconcilerConfig(env), { credentials: asReconciler.credentials, callCounter: counter });

      const first = await runReconcile(reconciler());
      expect(first.accounts.map((account) => [account.error, account.conflicts])).toEqual([[undefined, []]]);
      expect(first.status).toBe('applied');
      expect(first.accounts.map((account) => [account.accountId, account.created, account.failed])).toEqual([
        [memberAccount, ['Switchyard-Operator'], []],
      ]);
      expect(counter.calls.filter((call) => call.operation === 'AssumeRole').map((call) => call.account)).toEqual([memberAccount]);
      const roles = await createIamClient(memberSettings).send(new ListRolesCommand({ PathPrefix: '/switchyard/' }));
      expect(roles.Roles?.map((role) => [role.RoleName, role.MaxSessionDuration])).toEqual([['Switchyard-Operator', 4 * 3600]]);

      counter.reset();
      const second = await runReconcile(reconciler());
      expect(second.status).toBe('applied');
      expect(counter.calls.filter((call) => call.service === 'IAM' && isWriteOperation(call.operation))).toEqual([]);

      // The policy-ci stack's plan role plans the same folder through the member's plan reader role: nothing to change.
      // moto's CloudFormation cannot create an OIDC provider; the stack is given one, as for an account that has GitHub's already.
      const provider = await createIamClient(moto.settings).send(
        new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] }),
      );
      const ci = await deploy(
        moto.settings,
        'switchyard-policy-ci',
        parseTemplate(await readFile(join(packaged.outDir, 'policy-ci.yaml'), 'utf8')),
        { OrganizationId: orgId, GitHubRepository: 'acme/aws-access', GitHubOidcProviderArn: provider.OpenIDConnectProviderArn ?? '' },
        MOTO_MANAGEMENT_ACCOUNT,
      );
      expect(ci.status).toBe('CREATE_COMPLETE');
      const asPlanRole = await credentialsIn(moto.settings, ci.outputs.PlanRoleArn ?? '');
      const planner = assemblePlanner(planConfig({ ...env, SWITCHYARD_ACCESS_ROLE_NAME: 'SwitchyardPolicyPlanReader' }), {
        credentials: asPlanRole.credentials,
      });
      const planned = await planPolicy(
        planner,
        Object.entries(files).map(([path, content]) => ({ path, content })),
      );
      expect(planned.report.accounts.map((account) => [account.accountId, account.error])).toEqual([[memberAccount, undefined]]);
      expect(planned.plans.map((plan) => [plan.creates.length, plan.updates.length, plan.deletes.length])).toEqual([[0, 0, 0]]);
    });
  });
});
