import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../shared/api/entitlements.ts';
import { deepLinkTarget, deepLinkTo, parseDeepLink } from './deep-link.ts';

const PAGE = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';

describe('parseDeepLink', () => {
  it('reads a link the page made, every parameter back as it was', () => {
    const link = { account: '111122223333', permissionSet: 'Developer', region: 'eu-west-1', destination: '/ec2/home?region=eu-west-1#Instances:' };
    const made = deepLinkTo(PAGE, link);
    expect(made.startsWith(`${PAGE}#/open?`)).toBe(true);
    expect(parseDeepLink(made.slice(made.indexOf('?') + 1))).toEqual({ ok: true, link });
    expect(parseDeepLink('account=payments-prod&permissionSet=ReadOnly')).toEqual({
      ok: true,
      link: { account: 'payments-prod', permissionSet: 'ReadOnly' },
    });
  });

  it.each([
    ['', 'the link names no account'],
    ['permissionSet=ReadOnly', 'the link names no account'],
    ['account=111122223333', 'the link names no permissionSet'],
    ['account=111122223333&permissionSet=ReadOnly&account=444455556666', 'the link names account more than once'],
    ['account=111122223333&permissionSet=ReadOnly&redirect=https://evil.example', 'the link has a parameter "redirect" the page does not know'],
    ['account=111122223333&permissionSet=ReadOnly&%3Cimg%20src%3Dx%3E=1', 'the link has a parameter the page does not know'],
    ['account=%1B%5B2Jpayments&permissionSet=ReadOnly', 'account must be a 12-digit account ID or an account name'],
    ['account=%E2%80%AEtset&permissionSet=ReadOnly', 'account must be a 12-digit account ID or an account name'],
    [`account=${'a'.repeat(51)}&permissionSet=ReadOnly`, 'account must be a 12-digit account ID or an account name'],
    ['account=%20payments&permissionSet=ReadOnly', 'account must be a 12-digit account ID or an account name'],
    ['account=111122223333&permissionSet=Read%20Only', 'permissionSet is not a permission set name'],
    ['account=111122223333&permissionSet=%3Cscript%3E', 'permissionSet is not a permission set name'],
    [`account=111122223333&permissionSet=${'A'.repeat(60)}`, 'permissionSet is not a permission set name'],
    ['account=111122223333&permissionSet=ReadOnly&region=mars-1', 'region must be an AWS region name such as eu-west-1'],
    ['account=111122223333&permissionSet=ReadOnly&region=eu-west-1%0A', 'region must be an AWS region name such as eu-west-1'],
    [
      'account=111122223333&permissionSet=ReadOnly&destination=javascript:alert(1)',
      'destination must be a console path such as /ec2/home or an https:// console URL',
    ],
    [
      'account=111122223333&permissionSet=ReadOnly&destination=http://console.aws.amazon.com/',
      'destination must be a console path such as /ec2/home or an https:// console URL',
    ],
    ['account=111122223333&permissionSet=ReadOnly&destination=', 'destination must be a console path or console URL of at most 2048 characters'],
    [
      'account=111122223333&permissionSet=ReadOnly&destination=/ec2%0A/home',
      'destination must be a console path or console URL of at most 2048 characters',
    ],
    [
      `account=111122223333&permissionSet=ReadOnly&destination=/${'a'.repeat(2048)}`,
      'destination must be a console path or console URL of at most 2048 characters',
    ],
    [`account=111122223333&permissionSet=ReadOnly&x=${'a'.repeat(5000)}`, 'the link is longer than 4096 characters'],
  ])('refuses %s: %s', (query, problem) => {
    expect(parseDeepLink(query)).toEqual({ ok: false, problem });
  });
});

const entitlement = (accountId: string, accountName: string, permissionSet: string, regions = ['eu-west-1']): Entitlement => ({
  accountId,
  accountName,
  permissionSet,
  regions,
  sessionDurationSeconds: 3600,
});
const LIST = [
  entitlement('111122223333', 'payments-prod', 'ReadOnly'),
  entitlement('444455556666', 'payments-dev', 'Developer'),
  entitlement('777788889999', 'twin', 'ReadOnly'),
  entitlement('000011112222', 'twin', 'ReadOnly'),
  entitlement('123412341234', 'gov', 'ReadOnly', ['us-gov-west-1']),
];

describe('deepLinkTarget', () => {
  it('finds the pair by account ID or by name, with what the link asks', () => {
    expect(deepLinkTarget({ account: 'payments-dev', permissionSet: 'Developer' }, LIST)).toEqual({
      ok: true,
      target: { accountId: '444455556666', accountName: 'payments-dev', permissionSet: 'Developer' },
    });
    expect(deepLinkTarget({ account: '111122223333', permissionSet: 'ReadOnly', region: 'us-east-1', destination: '/s3/home' }, LIST)).toEqual({
      ok: true,
      target: { accountId: '111122223333', accountName: 'payments-prod', permissionSet: 'ReadOnly', region: 'us-east-1', destination: '/s3/home' },
    });
    expect(deepLinkTarget({ account: '777788889999', permissionSet: 'ReadOnly' }, LIST)).toMatchObject({
      ok: true,
      target: { accountId: '777788889999' },
    });
  });

  it("refuses a pair the person lacks, a name several of their accounts have, and a console the pair's partition cannot open", () => {
    expect(deepLinkTarget({ account: 'payments-dev', permissionSet: 'AdministratorAccess' }, LIST)).toEqual({
      ok: false,
      problem: 'you have no access to payments-dev as AdministratorAccess, or no such account and permission set exist',
    });
    expect(deepLinkTarget({ account: 'twin', permissionSet: 'ReadOnly' }, LIST)).toEqual({
      ok: false,
      problem: "more than one of your accounts is named twin: the link must name the account's ID",
    });
    const offConsole = deepLinkTarget({ account: 'payments-prod', permissionSet: 'ReadOnly', destination: 'https://evil.example/ec2/home' }, LIST);
    expect(offConsole).toMatchObject({ ok: false, problem: expect.stringMatching(/^destination: /) });
    const otherPartition = deepLinkTarget({ account: 'gov', permissionSet: 'ReadOnly', region: 'eu-west-1' }, LIST);
    expect(otherPartition).toMatchObject({ ok: false, problem: expect.stringMatching(/^region: /) });
    const disagreeing = deepLinkTarget(
      {
        account: 'payments-prod',
        permissionSet: 'ReadOnly',
        region: 'us-east-1',
        destination: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1',
      },
      LIST,
    );
    expect(disagreeing).toMatchObject({ ok: false });
  });
});
