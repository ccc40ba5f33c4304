/**
 * backend/local/moto_server.py makes moto's AWS managed policies on first use and copies them per account
 * instead of building them for each: every policy must still exist in every account and partition, with
 * the same document, and what one account does with it (attachments) must not show in another or
 * survive a reset.
 */
import {
  CreateRoleCommand,
  AttachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIamClient, createStsClient } from '../../backend/aws/clients.ts';
import { startMoto, type MotoServer } from '../../backend/local/moto.ts';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const OTHER_ACCOUNT = '210987654321';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

async function iamIn(accountId: string, region = 'us-east-1'): Promise<IAMClient> {
  const settings = { ...moto.settings, region };
  const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws';
  const assumed = await createStsClient(settings).send(
    new AssumeRoleCommand({ RoleArn: `arn:${partition}:iam::${accountId}:role/Inspector`, RoleSessionName: 'test' }),
  );
  const c = assumed.Credentials;
  return createIamClient(settings, { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken });
}

async function attachments(iam: IAMClient, arn = READ_ONLY): Promise<number | undefined> {
  return (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount;
}

async function awsPolicyArns(iam: IAMClient): Promise<string[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', Marker }));
    names.push(...(page.Policies ?? []).map((policy) => policy.Arn ?? ''));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return names.sort();
}

describe('AWS managed policies in moto', () => {
  it('exist in every account, with the same documents; attachments stay in the account that made them', async () => {
    const management = createIamClient(moto.settings);
    const other = await iamIn(OTHER_ACCOUNT);

    const arns = await awsPolicyArns(management);
    expect(arns.length).toBeGreaterThan(1000);
    expect(arns).toEqual(
      expect.arrayContaining(['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess'].map((name) => `arn:aws:iam::aws:policy/${name}`)),
    );
    for (const arn of arns.filter((_, index) => index % 50 === 0)) expect(await attachments(other, arn)).toBe(0);
    const document = async (iam: IAMClient) => {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: READ_ONLY }))).Policy;
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: policy?.DefaultVersionId }));
      return version.PolicyVersion?.Document;
    };
    expect(await document(other)).toBe(await document(management));

    await management.send(new CreateRoleCommand({ RoleName: 'Reader', AssumeRolePolicyDocument: TRUST }));
    await management.send(new AttachRolePolicyCommand({ RoleName: 'Reader', PolicyArn: READ_ONLY }));
    expect(await attachments(management)).toBe(1);
    expect(await attachments(other)).toBe(0);

    await other.send(new CreateRoleCommand({ RoleName: 'Reader', AssumeRolePolicyDocument: TRUST }));
    await other.send(new AttachRolePolicyCommand({ RoleName: 'Reader', PolicyArn: READ_ONLY }));
    await other.send(new CreateRoleCommand({ RoleName: 'Reader2', AssumeRolePolicyDocument: TRUST }));
    await other.send(new AttachRolePolicyCommand({ RoleName: 'Reader2', PolicyArn: READ_ONLY }));
    expect(await attachments(other)).toBe(2);
    expect(await attachments(management)).toBe(1);
  });

  it('exist in another partition under its own ARNs', async () => {
    const china = await iamIn(OTHER_ACCOUNT, 'cn-north-1');
    expect(await attachments(china, 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess')).toBe(0);
    await expect(attachments(china, READ_ONLY)).rejects.toThrow();
  });

  it('start over after a reset', async () => {
    const management = createIamClient(moto.settings);
    const before = (await attachments(management)) ?? 0;
    await management.send(new CreateRoleCommand({ RoleName: 'Resettable', AssumeRolePolicyDocument: TRUST }));
    await management.send(new AttachRolePolicyCommand({ RoleName: 'Resettable', PolicyArn: READ_ONLY }));
    expect(await attachments(management)).toBe(before + 1);

    await moto.reset();

    expect(await attachments(management)).toBe(0);
    expect(await attachments(await iamIn(OTHER_ACCOUNT))).toBe(0);
  });
});
