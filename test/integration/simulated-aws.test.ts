/**
 * The simulated AWS the scale benchmark runs against (test/helpers/simulated-aws/) answers like AWS,
 * to the SDK clients the backend builds, over real HTTP: IAM and Organizations paging markers, STS
 * credentials that act in their own account, IAM's and Organizations' errors, and throttling answered
 * with each service's own error, which the SDK's standard retry mode recognizes and retries.
 */
import {
  GetAccountAuthorizationDetailsCommand,
  CreateRoleCommand,
  ListRolesCommand,
  DeleteRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { createIamClient, createOrganizationsClient, createStsClient, type AwsSettings } from '../../backend/aws/clients.ts';
import { discoverAccounts } from '../../backend/aws/organizations-accounts.ts';
import { readAccountRoles } from '../../backend/reconcile/read-roles.ts';
import { iamClientForAccount, type AccountAccess } from '../../backend/reconcile/account-access.ts';
import { startSimulatedAws, type SimulatedAws, type SimulatedAwsOptions } from '../helpers/simulated-aws/server.ts';
import type { SimulatedAccount } from '../helpers/simulated-aws/organizations.ts';

const ACCESS_ROLE = 'SwitchyardReconcilerAccess';
const accountId = (i: number) => String(200_000_000_000 + i);
const accounts = (n: number): SimulatedAccount[] => Array.from({ length: n }, (_, i) => ({ id: accountId(i), name: `acct-${i}` }));

let sim: SimulatedAws | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatedAwsOptions> = {}): Promise<{ sim: SimulatedAws; settings: AwsSettings }> {
  sim = await startSimulatedAws({ memberAccounts: accounts(3), accessRoleName: ACCESS_ROLE, ...options });
  return {
    sim,
    settings: { region: 'us-east-1', endpoint: sim.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 6 },
  };
}

function access(settings: AwsSettings): AccountAccess {
  return {
    accessRoleName: ACCESS_ROLE,
    partition: 'aws',
    clients: { sts: () => createStsClient(settings), iam: (_account, credentials) => createIamClient(settings, credentials) },
  };
}

describe('STS', () => {
  it("hands out credentials that act in the assumed role's account only", async () => {
    const { sim, settings } = await start();
    const iam0 = await iamClientForAccount(access(settings), accountId(0));
    await iam0.send(new CreateRoleCommand({ RoleName: 'Only-In-0', AssumeRolePolicyDocument: '{}' }));
    expect(sim.iam.role(accountId(0), 'Only-In-0')).toBeDefined();
    expect(sim.iam.role(accountId(1), 'Only-In-0')).toBeUndefined();
    expect(sim.stats.byAccount.get(accountId(0))).toBe(2); // AssumeRole booked to the target account, then CreateRole
  });

  it("refuses AssumeRole where the access role is missing, with AWS's AccessDenied, which the reconciler explains", async () => {
    const { settings } = await start({ withoutAccessRole: [accountId(2)] });
    await expect(iamClientForAccount(access(settings), accountId(2))).rejects.toThrow(/may not assume its access role .*deploy the member template/);
  });

  it("answers AssumeRole beyond its quota with STS's Throttling error, and the SDK retries it", async () => {
    const { sim, settings } = await start({ quotas: { stsAssumeRole: { rate: 2, burst: 1, source: 'test' } } });
    const sts = createStsClient(settings);
    const arn = `arn:aws:iam::${accountId(0)}:role/${ACCESS_ROLE}`;
    const answers = await Promise.all([0, 1, 2].map(() => sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's' }))));
    expect(answers.every((answer) => answer.Credentials?.AccessKeyId)).toBe(true);
    expect(sim.stats.throttled.get('STS:AssumeRole')).toBeGreaterThan(0);
    expect(sim.stats.byOperation.get('STS:AssumeRole')).toBe(3 + (sim.stats.throttled.get('STS:AssumeRole') ?? 0));
  });

  it("gives up on a call throttled on every attempt: the error is the SDK's Throttling, after maxAttempts", async () => {
    const { settings } = await start({ quotas: { stsAssumeRole: { rate: 0, burst: 0, source: 'test' } } });
    const sts = createStsClient({ ...settings, maxAttempts: 2 });
    const failed = sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId(0)}:role/${ACCESS_ROLE}`, RoleSessionName: 's' }));
    await expect(failed).rejects.toMatchObject({ name: 'Throttling', $metadata: { attempts: 2, httpStatusCode: 400 } });
  });
});

describe('IAM', () => {
  it('pages GetAccountAuthorizationDetails and ListRoles by Marker, 100 a page, and the reconciler reads every role', async () => {
    const { sim, settings } = await start({ otherRolesPerAccount: 0, quotas: { iamPerAccount: false } });
    const iam = await iamClientForAccount(access(settings), accountId(0));
    for (let i = 0; i < 230; i++) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: `Switchyard-S${i}`,
          Path: '/switchyard/',
          AssumeRolePolicyDocument: '{"Version":"2012-10-17"}',
          Tags: [{ Key: 'switchyard:managed', Value: 'true' }],
        }),
      );
    }
    const first = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(first.RoleDetailList).toHaveLength(100);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const firstRoles = await iam.send(new ListRolesCommand({ PathPrefix: '/switchyard/' }));
    expect(firstRoles.Roles).toHaveLength(100);

    sim.resetStats();
    const roles = await readAccountRoles(iam);
    expect(roles).toHaveLength(231); // and the access role
    expect(roles.filter((role) => role.settings?.maxSessionDuration === 3600)).toHaveLength(230);
    expect(sim.stats.byOperation.get('IAM:GetAccountAuthorizationDetails')).toBe(3);
    expect(sim.stats.byOperation.get('IAM:ListRoles')).toBe(3);
  });

  it('refuses a marker from another listing with InvalidInput', async () => {
    const { settings } = await start();
    const iam = await iamClientForAccount(access(settings), accountId(0));
    await expect(iam.send(new ListRolesCommand({ Marker: 'bm90LW91cnM' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('hands back policy documents URL-encoded, as IAM does, and the reconciler decodes them', async () => {
    const { settings } = await start();
    const iam = await iamClientForAccount(access(settings), accountId(0));
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    };
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Switchyard-A',
        Path: '/switchyard/',
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Tags: [{ Key: 'switchyard:managed', Value: 'true' }],
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'Switchyard-A', PolicyName: 'switchyard', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    const raw = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    const detail = raw.RoleDetailList?.find((role) => role.RoleName === 'Switchyard-A');
    expect(detail?.AssumeRolePolicyDocument).toBe(encodeURIComponent(JSON.stringify(trust)));
    const role = (await readAccountRoles(iam)).find((r) => r.roleName === 'Switchyard-A');
    expect(role?.trustPolicy).toEqual(trust);
    expect(role?.inlinePolicies).toEqual({ switchyard: { Version: '2012-10-17', Statement: [] } });
  });

  it("answers IAM's own errors: EntityAlreadyExists, NoSuchEntity, DeleteConflict", async () => {
    const { settings } = await start();
    const iam = await iamClientForAccount(access(settings), accountId(0));
    await iam.send(new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: '{}' }));
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'twice', AssumeRolePolicyDocument: '{}' }))).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
    });
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'Nobody' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Twice', PolicyName: 'p', PolicyDocument: '{}' }));
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'Twice' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
  });

  it("throttles an account's IAM calls beyond its quota with IAM's Throttling error, retried by the SDK", async () => {
    const { sim, settings } = await start({ quotas: { iamPerAccount: { rate: 5, burst: 2, source: 'test' } } });
    const iam = await iamClientForAccount(access(settings), accountId(0));
    await Promise.all(Array.from({ length: 5 }, (_, i) => iam.send(new CreateRoleCommand({ RoleName: `R${i}`, AssumeRolePolicyDocument: '{}' }))));
    expect(sim.iam.roleCount(accountId(0))).toBe(4 + 5);
    expect(sim.stats.throttled.get('IAM:CreateRole')).toBeGreaterThan(0);
    // Another account has a bucket of its own.
    const other = await iamClientForAccount(access(settings), accountId(1));
    sim.resetStats();
    await other.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: '{}' }));
    expect(sim.stats.throttled.size).toBe(0);
  });
});

describe('Organizations', () => {
  const tree = () => {
    const members = accounts(45).map((account, i) => ({
      ...account,
      tags: { env: i % 2 ? 'prod' : 'dev' },
      parentId: i < 30 ? 'ou-sim-a' : 'ou-sim-b',
    }));
    return {
      memberAccounts: [...members, { id: accountId(99), name: 'gone', status: 'SUSPENDED' }],
      units: [
        { id: 'ou-sim-a', name: 'Workloads', parentId: 'r-sim0' },
        { id: 'ou-sim-b', name: 'Prod', parentId: 'ou-sim-a' },
      ],
    };
  };

  it('pages ListAccounts 20 at a time and refuses a MaxResults over 20 with InvalidInputException', async () => {
    const { settings } = await start({ ...tree(), quotas: { organizations: false } });
    const organizations = createOrganizationsClient(settings);
    const first = await organizations.send(new ListAccountsCommand({}));
    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeTruthy();
    await expect(organizations.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('discovery reads every active account with tags and OU path through the real paginators', async () => {
    const { sim, settings } = await start({ ...tree(), quotas: { organizations: false } });
    const discovered = await discoverAccounts(createOrganizationsClient(settings));
    expect(discovered).toHaveLength(45);
    expect(discovered.find((a) => a.id === accountId(0))).toMatchObject({ tags: { env: 'dev' }, ouPath: '/Root/Workloads' });
    expect(discovered.find((a) => a.id === accountId(40))).toMatchObject({ tags: { env: 'dev' }, ouPath: '/Root/Workloads/Prod' });
    expect(sim.stats.byOperation.get('Organizations:ListAccounts')).toBe(3); // 47 accounts with the management account, 20 a page
  });

  it('throttles beyond the documented rate with TooManyRequestsException, which the SDK retries', async () => {
    const { sim, settings } = await start(tree());
    const discovered = await discoverAccounts(createOrganizationsClient(settings));
    expect(discovered).toHaveLength(45);
    // DescribeOrganization then ListRoots: one per second each, burst 2; 45 tag reads at 10 a second, burst 15.
    expect(sim.stats.throttled.get('Organizations:ListTagsForResource')).toBeGreaterThan(0);
  });
});
