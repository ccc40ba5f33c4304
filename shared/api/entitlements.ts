/** `GET /entitlements`, and the entitlement every sign-in answer lists too. */
import { z } from 'zod';
import { PersonSchema } from './person.ts';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

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
