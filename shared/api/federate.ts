/**
 * `POST /federate`: a console sign-in URL for one entitlement. docs/console-access.md is its contract in
 * prose: every refusal, its status and its message.
 */
import { z } from 'zod';
import { AWS_REGION_NAME } from '../console/partitions.ts';
import { ACCOUNT_ID_PATTERN } from './entitlements.ts';

/** A region name of any AWS partition (shared/console/partitions.ts); whether it belongs to the deployment's partition is checked by the API. */
export const REGION_PATTERN = AWS_REGION_NAME;
/** Longest destination the API reads; longer ones are a 400. */
export const MAX_DESTINATION_LENGTH = 2048;

export const FederateRequestSchema = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'accountId must be exactly 12 digits'),
  permissionSet: z.string().min(1).max(64),
  /**
   * Console region. It must belong to the deployment's partition (aws, aws-us-gov or aws-cn), else 400.
   * When left out: the destination's own region, else the account's first region, else the deployment's.
   * When the destination names another region, the answer is a 400 (a region is never silently replaced).
   */
  region: z.string().max(32).regex(REGION_PATTERN, 'region must be an AWS region name such as eu-west-1').optional(),
  /**
   * Where the console opens: a console path ("/ec2/home#Instances:") or a full console URL of the deployment's
   * partition, as copied from the address bar ("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1").
   * Checked by shared/console/destination.ts (checkConsoleDestination); anything else is a 400 whose message says why.
   */
  destination: z
    .string()
    .min(1, 'destination must not be empty: leave it out for the console home')
    .max(MAX_DESTINATION_LENGTH, `destination must be at most ${MAX_DESTINATION_LENGTH} characters`)
    .optional(),
});
export type FederateRequest = z.infer<typeof FederateRequestSchema>;

export const FederateResponseSchema = z.object({
  /** Console sign-in URL: a bearer secret valid for 15 minutes. Open it; never log or store it. */
  url: z.string(),
});
export type FederateResponse = z.infer<typeof FederateResponseSchema>;
