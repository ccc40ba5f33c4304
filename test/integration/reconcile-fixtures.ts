/**
 * A world for the reconciler's integration tests: moto with a policy bucket and member accounts
 * reached by AssumeRole as in production, real policy files (YAML) in the bucket, and helpers to
 * look at and hand-edit the roles the way an admin in a member account would.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetAccountAuthorizationDetailsCommand, GetRoleCommand, ListRolesCommand, type IAMClient, type RoleDetail } from '@aws-sdk/client-iam';
import { assemblePolicyBucket } from '../../backend/assemble/bucket.ts';
import { assembleReconciler, type ReconcilerExtras } from '../../backend/assemble/reconciler.ts';
import { CallCounter } from '../../backend/aws/call-counter.ts';
import type { PolicyBucket } from '../../backend/bucket/policy-bucket.ts';
import { reconcilerConfig } from '../../backend/config/config.ts';
import { createIamClient, createS3Client, createStsClient, type AwsSettings } from '../../backend/aws/clients.ts';
import { startMoto, type MotoServer, type StartMotoOptions } from '../../backend/local/moto.ts';
import type { ReconcileDeps } from '../../backend/reconcile/run.ts';
import { decodePolicyDocument } from '../../shared/iam/policy-document.ts';
import type { ReconcileReport } from '../../shared/plan/report.ts';

export const DEV = '111111111111';
export const PROD = '222222222222';
export const DATA = '333333333333';
export const MEMBER_ACCOUNTS = [DEV, PROD, DATA];
export const BUCKET = 'switchyard-policy-test';
export const IDENTITY_POOL_ID = 'us-east-1:0f0e0d0c-0b0a-0908-0706-050403020100';
export const DEVELOPER_PROVIDER = 'login.switchyard.test';
/** Whose tokens the world's managed roles trust. */
export const TRUST = { identityPoolId: IDENTITY_POOL_ID, developerProvider: DEVELOPER_PROVIDER };

/** Files of a small, valid policy: ReadOnly everywhere, Admin in dev. */
export function basePolicyFiles(): Record<string, string> {
  return {
    'accounts.yaml': `accounts:
  - { id: "${DEV}", name: dev, tags: { env: dev }, regions: [eu-west-1] }
  - { id: "${PROD}", name: prod, tags: { env: prod }, regions: [eu-west-1] }
  - { id: "${DATA}", name: data, tags: { env: prod }, regions: [eu-central-1] }
`,
    'permission-sets/ReadOnly.yaml': `description: Read everything, change nothing
sessionDuration: PT8H
managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
inlinePolicy: ../policies/deny-secrets.json
permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
tags: { team: platform }
`,
    'permission-sets/Admin.yaml': `description: Full access
sessionDuration: PT1H
managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
`,
    'policies/deny-secrets.json': JSON.stringify(
      { Version: '2012-10-17', Statement: [{ Sid: 'DenySecrets', Effect: 'Deny', Action: ['secretsmanager:GetSecretValue'], Resource: '*' }] },
      null,
      2,
    ),
    'assignments.yaml': `assignments:
  - group: Auditors
    permissionSet: ReadOnly
    accounts: "*"
  - group: Admins
    permissionSet: Admin
    accounts: { tags: { env: dev } }
`,
  };
}

export interface ReconcileWorld {
  moto: MotoServer;
  settings: AwsSettings;
  s3: S3Client;
  counter: CallCounter;
  /** The policy bucket as the reconciler sees it. */
  bucket: PolicyBucket;
  /** The reconciler assembled as the bucket Lambda assembles it, with the call counter attached. */
  deps(overrides?: ReconcilerExtras): ReconcileDeps;
  /** Pushes the world's files with these added or replaced, as one generation (no checks: a raw commit). */
  putFiles(files: Record<string, string>): Promise<void>;
  /** Pushes the world's files without these paths. */
  removeFiles(...paths: string[]): Promise<void>;
  readReport(): Promise<ReconcileReport>;
  /** An IAM client in a member account (for looking and hand-editing, not counted). */
  iam(accountId: string): Promise<IAMClient>;
  /** Every role of an account, with documents decoded. */
  roles(accountId: string): Promise<Map<string, RoleView>>;
  /** Wipes moto and creates the bucket again. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface RoleView {
  roleId: string;
  path: string;
  tags: Record<string, string>;
  trustPolicy: unknown;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, unknown>;
  permissionsBoundaryArn?: string;
  description?: string;
  maxSessionDuration?: number;
}

/** AWS-managed policies (ReadOnlyAccess, ...) exist in moto only when it loads them. */
export async function startWorld(options: StartMotoOptions = {}): Promise<ReconcileWorld> {
  const moto = await startMoto({ ...options, env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...options.env } });
  const settings = moto.settings;
  const s3 = createS3Client(settings);
  const counter = new CallCounter();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const bucket = assemblePolicyBucket(settings, { bucket: BUCKET, prefix: '' });
  const config = reconcilerConfig({
    AWS_REGION: settings.region,
    SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
    SWITCHYARD_LOG_LEVEL: 'SILENT',
    SWITCHYARD_POLICY_BUCKET: BUCKET,
    SWITCHYARD_IDENTITY_POOL_ID: IDENTITY_POOL_ID,
    SWITCHYARD_DEVELOPER_PROVIDER: DEVELOPER_PROVIDER,
    SWITCHYARD_RECONCILE_CONCURRENCY: '4',
  });
  let current = new Map<string, string>();
  const push = async () => {
    await bucket.push([...current].map(([path, content]) => ({ path, content })));
  };

  const iam = async (accountId: string) => {
    const sts = createStsClient(settings);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/TestInspector`, RoleSessionName: 'test' }));
    const c = assumed.Credentials;
    return createIamClient(settings, { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken });
  };

  return {
    moto,
    settings,
    s3,
    counter,
    bucket,
    deps: (overrides = {}) => assembleReconciler(config, { credentials: settings.credentials, callCounter: counter, ...overrides }),
    async putFiles(files) {
      for (const [path, content] of Object.entries(files)) current.set(path, content);
      await push();
    },
    async removeFiles(...paths) {
      for (const path of paths) current.delete(path);
      await push();
    },
    async readReport() {
      const report = await bucket.readReport();
      if (!report) throw new Error('no reconcile report in the bucket');
      return report;
    },
    iam,
    async roles(accountId) {
      const client = await iam(accountId);
      const details = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      const listed = await client.send(new ListRolesCommand({}));
      const views = new Map<string, RoleView>();
      for (const detail of details.RoleDetailList ?? []) {
        const summary = listed.Roles?.find((role) => role.RoleName === detail.RoleName);
        views.set(detail.RoleName ?? '', view(detail, summary?.Description, summary?.MaxSessionDuration));
      }
      return views;
    },
    async reset() {
      current = new Map();
      await moto.reset();
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      counter.reset();
    },
    stop: () => moto.stop(),
  };
}

function view(detail: RoleDetail, description?: string, maxSessionDuration?: number): RoleView {
  return {
    roleId: detail.RoleId ?? '',
    path: detail.Path ?? '',
    tags: Object.fromEntries((detail.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    trustPolicy: detail.AssumeRolePolicyDocument ? decodePolicyDocument(detail.AssumeRolePolicyDocument) : undefined,
    managedPolicyArns: (detail.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').sort(),
    inlinePolicies: Object.fromEntries(
      (detail.RolePolicyList ?? []).map((p) => [p.PolicyName ?? '', decodePolicyDocument(p.PolicyDocument ?? '{}')]),
    ),
    permissionsBoundaryArn: detail.PermissionsBoundary?.PermissionsBoundaryArn,
    description,
    maxSessionDuration,
  };
}

/** GetRole of one role (throws NoSuchEntity when absent). */
export async function getRole(iam: IAMClient, roleName: string) {
  return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
}

/** One moto world per test file, reset before each test; `assign` receives it once started. */
export function useWorldResetPerTest(assign: (world: ReconcileWorld) => void): void {
  let world: ReconcileWorld | undefined;
  beforeAll(async () => {
    world = await startWorld();
    assign(world);
  });
  afterAll(async () => {
    await world?.stop();
  });
  beforeEach(async () => {
    await world?.reset();
  });
}
