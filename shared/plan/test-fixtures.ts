/** Small builders for the plan unit tests. */
import type { Policy } from '../policy/model.ts';
import { desiredRole } from './desired-roles.ts';
import type { ActualRole, DesiredRole } from './model.ts';
import { INLINE_POLICY_NAME } from './model.ts';

export const POOL = 'us-east-1:00000000-0000-0000-0000-000000000000';

export const readOnlySet = {
  name: 'ReadOnly',
  description: 'Read everything',
  sessionDurationSeconds: 28_800,
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }] },
  permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  tags: { team: 'platform' },
};

export function policyWith(overrides: Partial<Policy> = {}): Policy {
  return {
    accounts: [
      { id: '111111111111', name: 'dev', tags: { env: 'dev' }, regions: ['eu-west-1'] },
      { id: '222222222222', name: 'prod', tags: { env: 'prod' }, regions: ['eu-west-1'] },
    ],
    permissionSets: [readOnlySet],
    assignments: [{ group: 'devs', permissionSet: 'ReadOnly', accounts: { all: true } }],
    ...overrides,
  };
}

export function desired(accountId = '111111111111'): DesiredRole {
  return desiredRole(accountId, readOnlySet, POOL);
}

/** The role exactly as the reconciler would have created it. */
export function actualFrom(role: DesiredRole): ActualRole {
  return {
    roleName: role.roleName,
    path: role.path,
    tags: { ...role.tags },
    trustPolicy: structuredClone(role.trustPolicy),
    managedPolicyArns: [...role.managedPolicyArns],
    inlinePolicies: role.inlinePolicy ? { [INLINE_POLICY_NAME]: structuredClone(role.inlinePolicy) } : {},
    permissionsBoundaryArn: role.permissionsBoundaryArn,
    instanceProfileNames: [],
    settings: { description: role.description, maxSessionDuration: role.maxSessionDuration },
  };
}
