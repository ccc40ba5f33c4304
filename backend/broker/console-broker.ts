/**
 * Turns "this person opens this account and permission set" into a console sign-in URL, and exposes the
 * same work step by step for `switchyard doctor`. Two implementations fit: developer-identity tokens from a
 * Cognito identity pool (web-identity-broker.ts, the default), or the backend as its own OIDC issuer
 * (docs/alternative-broker.md), should principal tags not reach a role's trust policy.
 */
import type { Person } from '../../shared/api/person.ts';

/** One role to open: an (account, permission set) pair. */
export interface BrokerTarget {
  accountId: string;
  permissionSet: string;
}

export interface ConsoleRequest extends BrokerTarget {
  user: Person;
  /** The permission set's session length: the role session and the console session both last this long. */
  sessionDurationSeconds: number;
  /** Where the console opens: a console URL of the deployment's partition, checked by shared/console/destination.ts. */
  destinationUrl: string;
  /** The click's request id; it ends the role session name, so CloudTrail leads back to the audit record. */
  requestId: string;
}

export interface ConsoleSignIn {
  /** The sign-in URL: a bearer secret for 15 minutes. Never log or store it. */
  url: string;
  /** The role session name, as CloudTrail shows it. */
  sessionName: string;
  /** Time spent waiting for AWS (identity pool, STS, federation endpoint), in milliseconds. */
  upstreamMs: number;
  /** Who the web identity token named (the Cognito identity id CloudTrail shows for AssumeRoleWithWebIdentity). */
  webIdentity?: string;
}

export interface ConsoleBroker {
  signIn(request: ConsoleRequest): Promise<ConsoleSignIn>;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** A web identity token for one target. `token` is a secret: never print or log it. */
export interface MintedToken {
  token: string;
  /** Who the token is for, as the issuer names them (a Cognito identity id). */
  subject?: string;
}

/** The broker's steps, one by one, for `switchyard doctor`. */
export interface BrokerSteps {
  /** One line naming the kind of broker and its issuer, for the doctor's report. */
  readonly description: string;
  /** False when the federation endpoint is not AWS's (a local stand-in): what it accepts proves nothing about AWS. */
  readonly federationIsAws: boolean;
  roleArn(target: BrokerTarget): string;
  mintToken(target: BrokerTarget, userId: string): Promise<MintedToken>;
  assumeRole(target: BrokerTarget, token: MintedToken, options: { sessionName: string; durationSeconds: number }): Promise<TemporaryCredentials>;
  /** Trades credentials for a sign-in token (a secret: never print it). */
  signinToken(credentials: TemporaryCredentials, sessionDurationSeconds: number): Promise<string>;
}

export type BrokerStage = 'identity' | 'sts' | 'federation';

/** A failure of the identity pool, STS or the federation endpoint; the message is safe to show (no secrets). */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly stage: BrokerStage,
    message: string,
    /** AWS's error code, when AWS gave one (AccessDenied, ThrottlingException, ...). */
    readonly awsCode?: string,
  ) {
    super(message);
  }
}
