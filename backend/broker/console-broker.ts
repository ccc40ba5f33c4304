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

/** One person in one role, for one request. */
export interface RoleRequest extends BrokerTarget {
  user: Person;
  /** The permission set's session length: the role session (and a console session) lasts this long. */
  sessionDurationSeconds: number;
  /** The request's id; it ends the role session name, so CloudTrail leads back to the audit record. */
  requestId: string;
}

export interface ConsoleRequest extends RoleRequest {
  /** Where the console opens: a console URL of the deployment's partition, checked by shared/console/destination.ts. */
  destinationUrl: string;
}

/** What the audit record says of a role session, whatever was made of it. */
export interface RoleSession {
  /** The role session name, as CloudTrail shows it. */
  sessionName: string;
  /** Time spent waiting for AWS (identity pool, STS, federation endpoint), in milliseconds. */
  upstreamMs: number;
  /** Who the web identity token named (the Cognito identity id CloudTrail shows for AssumeRoleWithWebIdentity). */
  webIdentity?: string;
}

export interface RoleCredentials extends RoleSession {
  /** Secrets until they expire: never log them. */
  credentials: ExpiringCredentials;
}

export interface ConsoleSignIn extends RoleSession {
  /** The sign-in URL: a bearer secret for 15 minutes. Never log or store it. */
  url: string;
}

/**
 * One path for both kinds of access: `credentials` takes the role for the person; `signIn` takes it the
 * same way and trades the credentials for a console sign-in URL.
 */
export interface ConsoleBroker {
  credentials(request: RoleRequest): Promise<RoleCredentials>;
  signIn(request: ConsoleRequest): Promise<ConsoleSignIn>;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** Credentials as STS issues them for a role session: with the instant AWS stops accepting them. */
export interface ExpiringCredentials extends TemporaryCredentials {
  expiration: Date;
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
  assumeRole(target: BrokerTarget, token: MintedToken, options: { sessionName: string; durationSeconds: number }): Promise<ExpiringCredentials>;
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
