/**
 * Elevation requests (docs/elevation.md): ask for an eligible pair, approve, deny, cancel, revoke, extend;
 * list one's own requests and those one may approve. Every answer about a request is a `RequestView`.
 */
import { z } from 'zod';
import { ACCOUNT_ID_PATTERN } from './entitlements.ts';

/** Request ids: 16 characters of [a-z2-7]. */
export const REQUEST_ID_PATTERN = /^[a-z2-7]{16}$/;

const PersonRefSchema = z.object({ id: z.string(), displayName: z.string() });

const ReasonSchema = z.string().trim().min(1, 'reason must not be empty').max(500, 'reason must be at most 500 characters');

export const RequestViewSchema = z.object({
  id: z.string(),
  /** As of the answer: an active grant past its end is `ended`, a pending request past its expiry `expired`. */
  state: z.enum(['pending', 'active', 'ended', 'denied', 'cancelled', 'expired', 'revoked']),
  requester: PersonRefSchema,
  accountId: z.string(),
  accountName: z.string(),
  permissionSet: z.string(),
  /** The grant's length as asked for (extensions come on top). */
  durationSeconds: z.number(),
  justification: z.string().optional(),
  /** The eligibility entry the request was made under, e.g. "eligibility.yaml entry 1". */
  rule: z.string(),
  createdAt: z.string(),
  pendingExpiresAt: z.string(),
  approvals: z.array(z.object({ by: PersonRefSchema, group: z.string(), at: z.string(), reason: z.string().optional() })),
  /** How many approvals it needs; 0 for self-service. */
  approvalsNeeded: z.number(),
  /** When the grant began and ends (extensions included); absent until it is active. */
  startedAt: z.string().optional(),
  endsAt: z.string().optional(),
  extensions: z.array(z.object({ by: PersonRefSchema, at: z.string(), seconds: z.number(), justification: z.string().optional() })),
  /** Denied, cancelled or revoked: by whom (absent: Switchyard itself, when a push ended the pair's eligibility), when, why. */
  closed: z.object({ by: PersonRefSchema.optional(), at: z.string(), reason: z.string().optional() }).optional(),
});
export type RequestView = z.infer<typeof RequestViewSchema>;

export const CreateRequestSchema = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'accountId must be 12 digits'),
  permissionSet: z.string().min(1).max(64),
  /** Default: the pair's defaultDuration. */
  durationSeconds: z.int().positive().optional(),
  justification: z.string().max(2000).optional(),
});
export type CreateRequest = z.infer<typeof CreateRequestSchema>;

export const ApproveRequestSchema = z.strictObject({ reason: ReasonSchema.optional() });
export const DenyRequestSchema = z.strictObject({ reason: ReasonSchema });
export const CancelRequestSchema = z.strictObject({ reason: ReasonSchema.optional() });
export const RevokeRequestSchema = z.strictObject({ reason: ReasonSchema });
export const ExtendGrantSchema = z.strictObject({
  /** Default: the most one extension may add. */
  durationSeconds: z.int().positive().optional(),
  justification: z.string().max(2000).optional(),
});

export const RequestListSchema = z.object({
  /** Newest first. */
  requests: z.array(RequestViewSchema),
});
export type RequestList = z.infer<typeof RequestListSchema>;
