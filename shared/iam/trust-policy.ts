/**
 * The trust policy of every managed role: only tokens of this Cognito identity pool, only
 * authenticated identities, only identities Switchyard's developer provider signed in (Cognito lists
 * the login providers an identity used in the token's `amr`, beside "authenticated"), and only a session
 * tagged for this very role (docs/architecture.md, flow 3). Pinning the provider keeps any other login
 * provider ever added to the pool, with a principal-tag mapping, from presenting a `switchyard:target`.
 */
import { TARGET_TAG_KEY, targetTagValue } from '../naming.ts';
import { DEFAULT_TRUST_POLICY_CHARS } from './limits.ts';
import type { PolicyDocument } from './policy-document.ts';

/** IAM's default quota for a role trust policy, counted without whitespace. */
export const MAX_TRUST_POLICY_LENGTH = DEFAULT_TRUST_POLICY_CHARS;
/** Identity pool ids are "<region>:<uuid>"; 55 characters is their documented maximum. */
export const MAX_IDENTITY_POOL_ID_LENGTH = 55;
/** A developer provider name is at most 128 characters (SWITCHYARD_DEVELOPER_PROVIDER, the template's DeveloperProviderName). */
export const MAX_DEVELOPER_PROVIDER_LENGTH = 128;

const COGNITO = 'cognito-identity.amazonaws.com';

/** Whose tokens the managed roles trust: the deployment's identity pool and its developer provider. */
export interface FederationTrust {
  identityPoolId: string;
  /** The identity pool's developer provider name (SWITCHYARD_DEVELOPER_PROVIDER). */
  developerProvider: string;
}

/** The federation trust of a deployment's settings (the reconciler's, a push's). */
export function federationTrustOf(settings: FederationTrust): FederationTrust {
  return { identityPoolId: settings.identityPoolId, developerProvider: settings.developerProvider };
}

export interface TrustTarget extends FederationTrust {
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
          'ForAnyValue:StringEquals': { [`${COGNITO}:amr`]: target.developerProvider },
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
 * Worst-case trust policy length for a permission set, whatever the pool, provider and account: what
 * the policy validator checks against MAX_TRUST_POLICY_LENGTH before any deployment exists.
 */
export function maxTrustPolicyLength(permissionSet: string): number {
  return trustPolicyLength({
    identityPoolId: 'x'.repeat(MAX_IDENTITY_POOL_ID_LENGTH),
    developerProvider: 'x'.repeat(MAX_DEVELOPER_PROVIDER_LENGTH),
    accountId: '000000000000',
    permissionSet,
  });
}
