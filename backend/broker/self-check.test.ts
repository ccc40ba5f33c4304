/**
 * The self-check's verdicts, against a broker whose steps a test controls: tokens that are real JWTs (signed
 * here with jose) with or without the target tag, an STS that refuses or accepts a token for another target,
 * a federation endpoint that is or is not AWS's. No AWS here; the moto run is test/integration/cli-doctor.test.ts.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { BrokerError, type BrokerSteps, type BrokerTarget, type MintedToken } from './console-broker.ts';
import { selfCheck } from './self-check.ts';

const { privateKey } = await generateKeyPair('ES256');
const canary = { accountId: '111111111111', permissionSet: 'SwitchyardCanary' };

async function jwtFor(target: BrokerTarget, withTag: boolean): Promise<string> {
  const tags = withTag
    ? { 'https://aws.amazon.com/tags': { principal_tags: { 'switchyard:target': [`${target.accountId}:${target.permissionSet}`] } } }
    : {};
  return new SignJWT({ amr: ['authenticated'], ...tags })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('https://cognito-identity.amazonaws.com')
    .setAudience('us-east-1:pool')
    .setSubject('us-east-1:identity')
    .setExpirationTime('5m')
    .sign(privateKey);
}

function broker(options: {
  tag?: boolean;
  jwt?: boolean;
  decoyAccepted?: boolean;
  federationIsAws?: boolean;
  stsError?: string;
}): BrokerSteps & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    tokens,
    description: 'test broker',
    federationIsAws: options.federationIsAws ?? true,
    roleArn: (target) => `arn:aws:iam::${target.accountId}:role/switchyard/Switchyard-${target.permissionSet}`,
    async mintToken(target): Promise<MintedToken> {
      const token = options.jwt === false ? 'us-east-1:not-a-jwt' : await jwtFor(target, options.tag ?? true);
      tokens.push(token);
      return { token, subject: 'us-east-1:identity' };
    },
    async assumeRole(target, token) {
      if (options.stsError) throw new BrokerError('sts', `AWS refused it (${options.stsError})`, options.stsError);
      const forCanary = token.token === tokens[0];
      if (!forCanary && !options.decoyAccepted) throw new BrokerError('sts', 'AWS refused it (AccessDenied)', 'AccessDenied');
      return { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: `session-for-${target.permissionSet}`, expiration: new Date() };
    },
    async signinToken() {
      return 'signin-token';
    },
  };
}

const results = (report: Awaited<ReturnType<typeof selfCheck>>) => report.map((step) => step.result);

describe('the self-check', () => {
  it('passes every step on an account where tokens are bound to one role', async () => {
    const steps = broker({});
    const report = await selfCheck(steps, { canary });
    expect(results(report)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(report[0]?.claims?.sub).toBe('us-east-1:identity');
    expect(JSON.stringify(report)).not.toContain(steps.tokens[0]);
    expect(JSON.stringify(report)).not.toContain('signin-token');
    expect(report[3]).toMatchObject({ detail: 'STS refused it (AccessDenied)', awsError: 'AccessDenied' });
  });

  it('fails, loudly, when the canary role accepts a token minted for another target', async () => {
    const report = await selfCheck(broker({ decoyAccepted: true }), { canary });
    expect(results(report)).toEqual(['pass', 'pass', 'pass', 'fail', 'pass']);
    expect(report[3]?.detail).toMatch(/^SECURITY: the canary role accepted a token minted for another target/);
  });

  it('fails the tag step when the token does not carry the target tag', async () => {
    const report = await selfCheck(broker({ tag: false }), { canary });
    expect(report[1]).toMatchObject({ result: 'fail', detail: expect.stringMatching(/did not put the tag into the token/) });
  });

  it('says "not provable here", never "pass", where tokens are not JWTs and the federation endpoint is not AWS', async () => {
    const report = await selfCheck(broker({ jwt: false, decoyAccepted: true, federationIsAws: false }), { canary });
    expect(results(report)).toEqual(['pass', 'not provable here', 'not provable here', 'not provable here', 'not provable here']);
  });

  it('reports the AWS error of a failed step and skips what depends on it', async () => {
    const report = await selfCheck(broker({ stsError: 'ValidationError' }), { canary, durationSeconds: 43200 });
    expect(report[2]).toMatchObject({ result: 'fail', awsError: 'ValidationError', step: expect.stringMatching(/for 43200 s$/) });
    expect(report[3]).toMatchObject({ result: 'fail', detail: expect.stringMatching(/^STS refused it, but not with AccessDenied/) });
    expect(report[4]).toMatchObject({ result: 'skipped' });
  });
});
