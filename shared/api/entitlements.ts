/** `GET /entitlements`, and the entitlement every sign-in answer lists too. */
import { z } from 'zod';
import { PersonSchema } from './person.ts';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** How a person may ask for an eligible pair (the policy's eligibility entry, docs/elevation.md). */
export const EligibleSchema = z.object({
  maxDurationSeconds: z.number(),
  /** What the request form offers first. */
  defaultDurationSeconds: z.number(),
  justification: z.object({
    required: z.boolean(),
    /** A regular expression (JavaScript, Unicode flag) the justification must match. */
    pattern: z.string().optional(),
    example: z.string().optional(),
  }),
  /** `none`: the grant starts at once (self-service). Otherwise `count` approvals by different people of these groups. */
  approval: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('approvers'), groups: z.array(z.string()), count: z.number(), distinctGroups: z.boolean() }),
  ]),
  /** How long a request waits for its approvals. */
  pendingExpirySeconds: z.number(),
  /** How many times a grant may be extended, and by how much each time at most. */
  extensions: z.object({ count: z.number(), durationSeconds: z.number() }),
});
export type Eligible = z.infer<typeof EligibleSchema>;

/** The person's open request for an eligible pair: waiting for approval, or granted until `until`. */
export const OpenRequestSchema = z.object({
  id: z.string(),
  state: z.enum(['pending', 'active']),
  /** ISO time: when the pending request expires, or when the grant ends. */
  until: z.string(),
});
export type OpenRequest = z.infer<typeof OpenRequestSchema>;

/** One (account, permission set) pair a person may open, with what the popup shows. */
export const EntitlementSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  /** CSS colour for the account, e.g. "#d13212". */
  color: z.string().optional(),
  /** Regions the account is used in; the first is the default console region. */
  regions: z.array(z.string()),
  permissionSet: z.string(),
  description: z.string().optional(),
  /** Console session length in seconds. */
  sessionDurationSeconds: z.number(),
  /** For the popup's search: the account's tags and organizational unit path, when it has them. */
  tags: z.record(z.string(), z.string()).optional(),
  ouPath: z.string().optional(),
  /**
   * Present when the pair is not the person's standing access but theirs on request (elevation): it opens
   * only while a grant covers it, for at most the time left in the grant.
   */
  eligible: EligibleSchema.optional(),
  /** GET /entitlements only: the person's pending request or active grant for this eligible pair. */
  openRequest: OpenRequestSchema.optional(),
  /** True when the permission set is console-only (`cli: false`): POST /credentials refuses it. Absent otherwise. */
  consoleOnly: z.boolean().optional(),
});
export type Entitlement = z.infer<typeof EntitlementSchema>;

export const EntitlementsResponseSchema = z.object({
  user: PersonSchema,
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: z.array(EntitlementSchema),
});
export type EntitlementsResponse = z.infer<typeof EntitlementsResponseSchema>;
