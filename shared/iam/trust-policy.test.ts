import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, test } from 'vitest';
import { roleArnFor } from '../naming.ts';
import { MAX_TRUST_POLICY_LENGTH, maxTrustPolicyLength, trustPolicyFor, trustPolicyLength } from './trust-policy.ts';

const POOL = 'eu-west-1:11111111-2222-3333-4444-555555555555';
const ACCOUNT = '111111111111';

interface Token {
  aud: string;
  amr: string[];
  target: string;
}

const validToken = (target: string): Token => ({ aud: POOL, amr: ['authenticated', 'switchyard.example', `${POOL}:login`], target });

/** Asks the simulator whether a web-identity session with this token may assume the role. */
async function decide(role: { accountId: string; permissionSet: string }, token: Token, action = 'sts:AssumeRoleWithWebIdentity') {
  const simulation: Simulation = {
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustPolicyFor({ identityPoolId: POOL, ...role }) as Simulation['resourcePolicy'],
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
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe('trust policy of a managed role', () => {
  const roleA = { accountId: ACCOUNT, permissionSet: 'ReadOnly' };
  const roleB = { accountId: ACCOUNT, permissionSet: 'Admin' };
  const roleAElsewhere = { accountId: '222222222222', permissionSet: 'ReadOnly' };

  test('a token for the role itself may assume it', async () => {
    expect(await decide(roleA, validToken(`${ACCOUNT}:ReadOnly`))).toBe('Allowed');
  });

  test('sts:TagSession is granted by the same statement, under the same conditions', () => {
    // The simulator's action data lists the cognito-identity keys for AssumeRoleWithWebIdentity
    // only, so it cannot evaluate TagSession here; AWS evaluates both in one request context
    // (the Cognito attributes-for-access-control trust policy has this shape).
    const statements = trustPolicyFor({ identityPoolId: POOL, ...roleA }).Statement as Record<string, unknown>[];
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
  });

  test('a token minted for role A cannot assume role B, nor role A of another account', async () => {
    const tokenForA = validToken(`${ACCOUNT}:ReadOnly`);
    expect(await decide(roleB, tokenForA)).toBe('ImplicitlyDenied');
    expect(await decide(roleAElsewhere, tokenForA)).toBe('ImplicitlyDenied');
  });

  test('unauthenticated identities are denied', async () => {
    const token = { ...validToken(`${ACCOUNT}:ReadOnly`), amr: ['unauthenticated'] };
    expect(await decide(roleA, token)).toBe('ImplicitlyDenied');
  });

  test("another identity pool's tokens are denied", async () => {
    const token = { ...validToken(`${ACCOUNT}:ReadOnly`), aud: 'eu-west-1:99999999-2222-3333-4444-555555555555' };
    expect(await decide(roleA, token)).toBe('ImplicitlyDenied');
  });

  test('a target that only starts like the right one is denied (exact match, no wildcards)', async () => {
    expect(await decide(roleA, validToken(`${ACCOUNT}:ReadOnlyPlus`))).toBe('ImplicitlyDenied');
    expect(await decide(roleA, validToken(`${ACCOUNT}:*`))).toBe('ImplicitlyDenied');
  });
});

describe('trust policy size', () => {
  test('counts the compact JSON and grows with the permission set name', () => {
    const target = { identityPoolId: POOL, accountId: ACCOUNT, permissionSet: 'ReadOnly' };
    expect(trustPolicyLength(target)).toBe(JSON.stringify(trustPolicyFor(target)).length);
    expect(maxTrustPolicyLength('ReadOnly')).toBeGreaterThanOrEqual(trustPolicyLength(target));
    expect(maxTrustPolicyLength('ReadOnlyX')).toBe(maxTrustPolicyLength('ReadOnly') + 1);
    expect(maxTrustPolicyLength('x'.repeat(53))).toBeLessThan(MAX_TRUST_POLICY_LENGTH);
  });
});
