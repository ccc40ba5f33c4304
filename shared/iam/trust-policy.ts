/**
 * The trust policy of every managed role: only tokens of this Cognito identity pool, only
 * authenticated identities, and only a session tagged for this very role (docs/architecture.md, flow 3).
 */
import { TARGET_TAG_KEY, targetTagValue } from '../naming.ts';
import { DEFAULT_TRUST_POLICY_CHARS } from './limits.ts';
import type { PolicyDocument } from './policy-document.ts';

/** IAM's default quota for a role trust policy, counted without whitespace. */
export const MAX_TRUST_POLICY_LENGTH = DEFAULT_TRUST_POLICY_CHARS;
/** Identity pool ids are "<region>:<uuid>"; 55 characters is their documented maximum. */
export const MAX_IDENTITY_POOL_ID_LENGTH = 55;

const COGNITO = 'cognito-identity.amazonaws.com';

export interface TrustTarget {
  identityPoolId: string;
  accountId: string;
  permissionSet: string;
}

export function trustPolicyFor(target: TrustTarget): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SwitchyardFederation',
        Effect: 'Allow',
        Principal: { Federated: COGNITO },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            [`${COGNITO}:aud`]: target.identityPoolId,
            [`aws:RequestTag/${TARGET_TAG_KEY}`]: targetTagValue(target.accountId, target.permissionSet),
          },
          'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
        },
      },
    ],
  };
}

/** Length as IAM counts it against the quota (JSON without whitespace). */
export function trustPolicyLength(target: TrustTarget): number {
  return JSON.stringify(trustPolicyFor(target)).length;
}

/**
 * Worst-case trust policy length for a permission set, whatever the pool and account: what the
 * policy validator checks against MAX_TRUST_POLICY_LENGTH before any deployment exists.
 */
export function maxTrustPolicyLength(permissionSet: string): number {
  return trustPolicyLength({
    identityPoolId: 'x'.repeat(MAX_IDENTITY_POOL_ID_LENGTH),
    accountId: '000000000000',
    permissionSet,
  });
}
