/**
 * What `switchyard doctor` proves, step by step, against any broker (BrokerSteps): a token can be minted for
 * a canary target and names it; the canary role accepts it; the canary role refuses a token minted for
 * another target; the federation endpoint gives a sign-in token for a long session. A step that cannot be
 * decided where it runs (an emulator's tokens are not JWTs, its STS ignores trust policies; a stand-in
 * federation endpoint is not AWS's) reports "not provable here", never "pass". Secrets (tokens,
 * credentials) are used and dropped: only names, ids, token claims and AWS error codes are reported.
 */
import { decodeJwt } from 'jose';
import { TARGET_TAG_KEY, targetTagValue } from '../../shared/naming.ts';
import { newRequestId, sessionNameFor } from './session-name.ts';
import { BrokerError, type BrokerSteps, type BrokerTarget, type MintedToken, type TemporaryCredentials } from './console-broker.ts';
import { errorText } from '../../shared/error-text.ts';
import { MAX_SESSION_SECONDS, MIN_REQUESTED_SESSION_SECONDS } from '../../shared/iam/limits.ts';

export type StepResult = 'pass' | 'fail' | 'not provable here' | 'skipped';

export interface SelfCheckStep {
  step: string;
  result: StepResult;
  detail: string;
  /** AWS's error code when AWS refused or failed. */
  awsError?: string;
  /** The token's claims (its payload; never the token itself). */
  claims?: Record<string, unknown>;
}

export interface SelfCheckOptions {
  canary: BrokerTarget;
  /** A target the canary role must refuse; default: a made-up permission set in the canary's account. */
  other?: BrokerTarget;
  /** Who the tokens are minted for (the developer identity); default "switchyard-doctor". */
  userId?: string;
  /** Role session length to ask STS for (at most the canary permission set's). */
  durationSeconds?: number;
  /** Console session length to ask the federation endpoint for (default 43200, the 12 hours sessions may last). */
  sessionDurationSeconds?: number;
}

export const DECOY_PERMISSION_SET = 'SwitchyardDoctorDecoy';
const NOT_A_JWT = 'the token is not a JWT, so this is not AWS (an emulator such as moto issues random strings)';

export async function selfCheck(steps: BrokerSteps, options: SelfCheckOptions): Promise<SelfCheckStep[]> {
  const canary = options.canary;
  const other = options.other ?? { accountId: canary.accountId, permissionSet: DECOY_PERMISSION_SET };
  const userId = options.userId ?? 'switchyard-doctor';
  const durationSeconds = options.durationSeconds ?? 3600;
  const sessionDurationSeconds = options.sessionDurationSeconds ?? MAX_SESSION_SECONDS;
  const { sessionName } = sessionNameFor(userId, newRequestId());
  const canaryName = targetTagValue(canary.accountId, canary.permissionSet);
  const otherName = targetTagValue(other.accountId, other.permissionSet);
  const report: SelfCheckStep[] = [];

  // 1. A token for the canary target, and what it says.
  let token: MintedToken | undefined;
  let claims: Record<string, unknown> | undefined;
  try {
    token = await steps.mintToken(canary, userId);
    claims = jwtClaims(token.token);
    report.push({
      step: `mint a token for ${canaryName}`,
      result: 'pass',
      detail: `issued for ${token.subject ?? 'an unnamed subject'}${claims ? '' : `; ${NOT_A_JWT}`}`,
      ...(claims ? { claims } : {}),
    });
  } catch (error) {
    report.push(failed(`mint a token for ${canaryName}`, error));
  }
  const tagStep = `the token carries the principal tag ${TARGET_TAG_KEY}=${canaryName}`;
  if (!token) report.push(skipped(tagStep, 'no token'));
  else if (!claims) report.push({ step: tagStep, result: 'not provable here', detail: NOT_A_JWT });
  else if (tagValues(claims).includes(canaryName))
    report.push({ step: tagStep, result: 'pass', detail: 'the claim https://aws.amazon.com/tags names it' });
  else {
    report.push({
      step: tagStep,
      result: 'fail',
      detail: 'the identity pool did not put the tag into the token, so no role can tell one target from another; see docs/alternative-broker.md',
    });
  }

  // 2. The canary role accepts it.
  const assumeStep = `assume ${steps.roleArn(canary)} for ${durationSeconds} s`;
  let credentials: TemporaryCredentials | undefined;
  if (!token) report.push(skipped(assumeStep, 'no token'));
  else {
    try {
      credentials = await steps.assumeRole(canary, token, { sessionName, durationSeconds });
      report.push(
        claims
          ? { step: assumeStep, result: 'pass', detail: `session ${sessionName}` }
          : {
              step: assumeStep,
              result: 'not provable here',
              detail: `STS accepted a token that is not a JWT: this STS checks neither tokens nor trust policies`,
            },
      );
    } catch (error) {
      report.push(failed(assumeStep, error));
    }
  }

  // 3. The canary role refuses a token minted for another target.
  const refuseStep = `${steps.roleArn(canary)} refuses a token minted for ${otherName}`;
  if (!token) report.push(skipped(refuseStep, 'no token could be minted'));
  else {
    try {
      const decoy = await steps.mintToken(other, userId);
      const decoyIsJwt = jwtClaims(decoy.token) !== undefined;
      try {
        await steps.assumeRole(canary, decoy, { sessionName, durationSeconds: MIN_REQUESTED_SESSION_SECONDS });
        report.push(
          decoyIsJwt
            ? {
                step: refuseStep,
                result: 'fail',
                detail:
                  'SECURITY: the canary role accepted a token minted for another target, so a token for one role opens others. Stop offering consoles until it is fixed; see docs/alternative-broker.md',
              }
            : { step: refuseStep, result: 'not provable here', detail: 'this STS accepted it, but it ignores session tags and trust policies' },
        );
      } catch (error) {
        const code = awsCode(error);
        report.push(
          code === 'AccessDenied'
            ? { step: refuseStep, result: 'pass', detail: 'STS refused it (AccessDenied)', awsError: code }
            : failed(refuseStep, error, 'STS refused it, but not with AccessDenied'),
        );
      }
    } catch (error) {
      report.push(failed(refuseStep, error, 'could not mint the second token'));
    }
  }

  // 4. A sign-in token for a long console session.
  const signinStep = `fetch a sign-in token with SessionDuration ${sessionDurationSeconds} (not printed)`;
  if (!credentials) report.push(skipped(signinStep, 'no credentials'));
  else {
    try {
      await steps.signinToken(credentials, sessionDurationSeconds);
      report.push(
        steps.federationIsAws
          ? { step: signinStep, result: 'pass', detail: 'the federation endpoint accepted web-identity credentials with this session length' }
          : {
              step: signinStep,
              result: 'not provable here',
              detail: 'the federation endpoint is not AWS (SWITCHYARD_FEDERATION_ENDPOINT is set): what it accepts proves nothing about AWS',
            },
      );
    } catch (error) {
      report.push(failed(signinStep, error));
    }
  }
  return report;
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Values of the target tag in the tags claim, whether given as a string or a list (both shapes exist). */
function tagValues(claims: Record<string, unknown>): string[] {
  const tags = claims['https://aws.amazon.com/tags'];
  const entries = Array.isArray(tags) ? tags : [tags];
  return entries.flatMap((entry) => {
    const value = (entry as { principal_tags?: Record<string, unknown> } | undefined)?.principal_tags?.[TARGET_TAG_KEY];
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
  });
}

function awsCode(error: unknown): string | undefined {
  return error instanceof BrokerError ? error.awsCode : undefined;
}

function failed(step: string, error: unknown, prefix?: string): SelfCheckStep {
  const message = error instanceof BrokerError ? error.message : errorText(error);
  const code = awsCode(error);
  return { step, result: 'fail', detail: prefix ? `${prefix}: ${message}` : message, ...(code ? { awsError: code } : {}) };
}

function skipped(step: string, why: string): SelfCheckStep {
  return { step, result: 'skipped', detail: `skipped: ${why}` };
}
