/**
 * Turns "this person opens this account and permission set" into a console sign-in URL.
 * The interface leaves room for the documented alternative (the backend as its own OIDC issuer)
 * should developer-identity principal tags not reach the role's trust policy.
 */
import type { SessionUser } from '../../shared/api/contract.ts';

export interface ConsoleRequest {
  user: SessionUser;
  accountId: string;
  permissionSet: string;
  sessionDurationSeconds: number;
  region: string;
  /** Console path such as "/ec2/home". */
  destination?: string;
}

export interface ConsoleBroker {
  /** The sign-in URL: a bearer secret for 15 minutes. Never log or store it. */
  signInUrl(request: ConsoleRequest): Promise<string>;
}

/** A failure of AWS or the federation endpoint; the message is safe to show (no secrets). */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
}
