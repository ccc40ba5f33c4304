/**
 * Worst-case length of the trust policy the reconciler writes for a role (DESIGN.md, flow 3): trust
 * only the identity pool (aud), only authenticated identities (amr), only a session tagged for this
 * very role. The reconciler may pass its real builder to loadPolicy instead (`trustPolicyLength`).
 */
import { TARGET_TAG_KEY, targetTagValue } from '../naming.ts';

/** Longest identity pool id AWS allows ("region:uuid", at most 55 characters). */
const WORST_CASE_IDENTITY_POOL_ID = 'x'.repeat(55);
const WORST_CASE_ACCOUNT_ID = '0'.repeat(12);

export function estimateTrustPolicyLength(permissionSet: string): number {
  const document = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SwitchyardFederation',
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'cognito-identity.amazonaws.com:aud': WORST_CASE_IDENTITY_POOL_ID,
            [`aws:RequestTag/${TARGET_TAG_KEY}`]: targetTagValue(WORST_CASE_ACCOUNT_ID, permissionSet),
          },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ],
  };
  // A margin for a second statement or condition the reconciler may add (e.g. a source identity check).
  return JSON.stringify(document).length + 256;
}

/** IAM counts policy size without white space; minified JSON is that count. */
export function policyLength(document: unknown): number {
  return JSON.stringify(document).length;
}
