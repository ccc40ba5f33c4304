/**
 * `POST /credentials`: temporary AWS credentials for one entitled (account, permission set) pair, for the
 * terminal (`switchyard credentials`, the AWS CLI's `credential_process`) and the web page's credentials
 * panel. The same checks and refusals as `POST /federate` (docs/console-access.md), and one more: a
 * permission set whose file says `cli: false` is console-only, refused with 403 `console_only`.
 * docs/cli.md describes it in prose.
 */
import { z } from 'zod';
import { FederateRequestSchema } from './federate.ts';

export const CredentialsRequestSchema = FederateRequestSchema.pick({ accountId: true, permissionSet: true, region: true });
export type CredentialsRequest = z.infer<typeof CredentialsRequestSchema>;

/**
 * The credentials, named as the AWS CLI's `credential_process` and `sts assume-role` name them. A bearer
 * secret until `Expiration`: never log it, keep it only where the person alone can read it.
 */
export const CredentialsResponseSchema = z.object({
  AccessKeyId: z.string().min(1),
  SecretAccessKey: z.string().min(1),
  SessionToken: z.string().min(1),
  /** ISO 8601 instant at which AWS stops accepting them: the permission set's session length after issue. */
  Expiration: z.iso.datetime(),
  /**
   * The region to use them in: the request's `region`, else the account's first region of the
   * deployment's partition, else the deployment's own (the same order as POST /federate).
   */
  Region: z.string(),
});
export type CredentialsResponse = z.infer<typeof CredentialsResponseSchema>;
