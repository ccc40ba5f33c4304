import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, test } from 'vitest';
import { roleArnFor } from '../naming.ts';
import { MAX_TRUST_POLICY_LENGTH, maxTrustPolicyLength, trustPolicyFor, trustPolicyLength } from './trust-policy.ts';

const POOL = 'eu-west-1:11111111-2222-3333-4444-555555555555';
const PROVIDER = 'login.switchyard.example';
const TRUST = { identityPoolId: POOL, developerProvider: PROVIDER };
const ACCOUNT = '111111111111';

interface Token {
  aud: string;
  amr: string[];
  target: string;
}

/** What Cognito puts in `amr` for a developer-authenticated identity: "authenticated", the provider, and provider:pool:user. */
const validToken = (target: string): Token => ({ aud: POOL, amr: ['authenticated', PROVIDER, `${PROVIDER}:${POOL}:alice`], target });

function simulation(role: { accountId: string; permissionSet: string }, token: Token, action: string): Simulation {
  return {
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustPolicyFor({ ...TRUST, ...role }) as Simulation['resourcePolicy'],
    request: {
      action,
      principal: 'cognito-identity.amazonaws.com',
      resource: { accountId: role.accountId, resource: roleArnFor(role.accountId, role.permissionSet, 'aws') },
      contextVariables: {
        'cognito-identity.amazonaws.com:aud': token.aud,
        'cognito-identity.amazonaws.com:amr': token.amr,
        'aws:RequestTag/switchyard:target': token.target,
      },
    },
  };
}

/**
 * Asks the simulator whether a web-identity session with this token may assume the role.
 *
 * `amr` holds several values in every Cognito token ("authenticated", then each login provider used),
 * which is why AWS's own trust policies test it with ForAnyValue. The Service Authorization Reference
 * (and so the simulator's checked runner) types the key as a single String, and that runner keeps only
 * the first value of a list; the unchecked runner evaluates the values as given. The checked runner
 * validates the document and the request's keys once, in the first test.
 */
function decide(role: { accountId: string; permissionSet: string }, token: Token, action = 'sts:AssumeRoleWithWebIdentity') {
  const checked = simulation(role, token, action);
  const document = { __validated: true, policyDocument: checked.resourcePolicy, metadata: { name: 'trust policy' }, errors: [] };
  return runUnsafeSimulation({ ...checked, resourcePolicy: document }, {});
}

describe('trust policy of a managed role', () => {
  const roleA = { accountId: ACCOUNT, permissionSet: 'ReadOnly' };
  const roleB = { accountId: ACCOUNT, permissionSet: 'Admin' };
  const roleAElsewhere = { accountId: '222222222222', permissionSet: 'ReadOnly' };

  test('is a valid trust policy whose condition keys the simulator knows for AssumeRoleWithWebIdentity', async () => {
    const result = await runSimulation(simulation(roleA, validToken(`${ACCOUNT}:ReadOnly`), 'sts:AssumeRoleWithWebIdentity'), {});
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    expect(result.resultType).toBe('single');
    expect(result.resultType === 'single' ? result.result.ignoredContextKeys : undefined).toEqual([]);
  });

  test('a token for the role itself may assume it, whatever order amr lists its values in', () => {
    expect(decide(roleA, validToken(`${ACCOUNT}:ReadOnly`))).toBe('Allowed');
    expect(decide(roleA, { ...validToken(`${ACCOUNT}:ReadOnly`), amr: [PROVIDER, 'authenticated'] })).toBe('Allowed');
  });

  test('sts:TagSession is granted by the same statement, under the same conditions', () => {
    // The simulator's action data lists the cognito-identity keys for AssumeRoleWithWebIdentity
    // only, so it cannot evaluate TagSession here; AWS evaluates both in one request context
    // (the Cognito attributes-for-access-control trust policy has this shape).
    const statements = trustPolicyFor({ ...TRUST, ...roleA }).Statement as Record<string, unknown>[];
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
  });

  test('a token minted for role A cannot assume role B, nor role A of another account', () => {
    const tokenForA = validToken(`${ACCOUNT}:ReadOnly`);
    expect(decide(roleB, tokenForA)).toBe('ImplicitlyDenied');
    expect(decide(roleAElsewhere, tokenForA)).toBe('ImplicitlyDenied');
  });

  test('unauthenticated identities are denied', () => {
    const token = { ...validToken(`${ACCOUNT}:ReadOnly`), amr: ['unauthenticated'] };
    expect(decide(roleA, token)).toBe('ImplicitlyDenied');
  });

  test('tokens of another login provider of the same pool are denied, whatever target they carry', () => {
    const target = `${ACCOUNT}:ReadOnly`;
    for (const provider of [
      'graph.facebook.com',
      'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      'login.switchyard.example.evil',
      'login.*',
    ]) {
      const token = { ...validToken(target), amr: ['authenticated', provider, `${provider}:${POOL}:mallory`] };
      expect(decide(roleA, token), provider).toBe('ImplicitlyDenied');
    }
    // The provider's name alone, without "authenticated", is not enough either.
    expect(decide(roleA, { ...validToken(target), amr: [PROVIDER] })).toBe('ImplicitlyDenied');
  });

  test("another identity pool's tokens are denied", () => {
    const token = { ...validToken(`${ACCOUNT}:ReadOnly`), aud: 'eu-west-1:99999999-2222-3333-4444-555555555555' };
    expect(decide(roleA, token)).toBe('ImplicitlyDenied');
  });

  test('a target that only starts like the right one is denied (exact match, no wildcards)', () => {
    expect(decide(roleA, validToken(`${ACCOUNT}:ReadOnlyPlus`))).toBe('ImplicitlyDenied');
    expect(decide(roleA, validToken(`${ACCOUNT}:*`))).toBe('ImplicitlyDenied');
  });
});

describe('trust policy size', () => {
  test('counts the compact JSON and grows with the permission set name', () => {
    const target = { ...TRUST, accountId: ACCOUNT, permissionSet: 'ReadOnly' };
    expect(trustPolicyLength(target)).toBe(JSON.stringify(trustPolicyFor(target)).length);
    expect(maxTrustPolicyLength('ReadOnly')).toBeGreaterThanOrEqual(trustPolicyLength(target));
    expect(maxTrustPolicyLength('ReadOnlyX')).toBe(maxTrustPolicyLength('ReadOnly') + 1);
    expect(maxTrustPolicyLength('x'.repeat(53))).toBeLessThan(MAX_TRUST_POLICY_LENGTH);
  });
});
