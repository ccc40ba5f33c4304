/**
 * The plan as a document: what `switchyard policy plan --format json` prints, and what the text and
 * markdown renderings are made from. Version 1; schema/plan.schema.json is generated from this
 * schema (`npm run schema`) and docs/policy-in-git.md describes it. A field is never removed or
 * changes meaning within a version; a consumer should ignore fields it does not know.
 */
import { z } from 'zod';

const AccountId = z.string().regex(/^\d{12}$/);

export const AccountRefSchema = z
  .strictObject({ id: AccountId, name: z.string().optional() })
  .describe('A member account: its id, and its name when the policy names it.');

const Document = z.record(z.string(), z.unknown()).describe('An IAM policy document as JSON.');

const DiffLineSchema = z.strictObject({
  op: z.enum(['+', '-', ' ']).describe('"+" added, "-" removed, " " unchanged'),
  text: z.string(),
});

export const StatementDiffSchema = z
  .strictObject({
    label: z.string().describe('The Sid, else "statement N"; "document" for the keys outside Statement.'),
    change: z.enum(['added', 'removed', 'changed', 'unchanged']),
    lines: z.array(DiffLineSchema).describe('The statement as JSON, each line marked; empty when unchanged.'),
  })
  .describe('One statement of a policy document, old against new.');

const fromTo = <T extends z.ZodType>(value: T) => ({
  from: value.optional().describe('The value now (absent: none, or the role is being created).'),
  to: value.optional().describe('The value after the push (absent: none, or the role is being deleted).'),
});

export const FieldChangeSchema = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('sessionDuration'), ...fromTo(z.number().int().describe('seconds')) }),
  z.strictObject({ field: z.literal('description'), ...fromTo(z.string()) }),
  z.strictObject({ field: z.literal('managedPolicies'), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.strictObject({ field: z.literal('permissionsBoundary'), ...fromTo(z.string()) }),
  z.strictObject({
    field: z.literal('tags'),
    added: z.record(z.string(), z.string()),
    removed: z.record(z.string(), z.string()),
    changed: z.array(z.strictObject({ key: z.string(), from: z.string(), to: z.string() })),
  }),
  z.strictObject({ field: z.literal('trustPolicy'), ...fromTo(Document), statements: z.array(StatementDiffSchema) }),
  z.strictObject({
    field: z.literal('inlinePolicy'),
    name: z.string().describe('The inline policy\'s name on the role ("switchyard-inline" for the permission set\'s own).'),
    ...fromTo(Document),
    statements: z.array(StatementDiffSchema),
  }),
  z.strictObject({ field: z.literal('instanceProfiles'), removed: z.array(z.string()) }),
]);

export const RoleChangeGroupSchema = z
  .strictObject({
    action: z.enum(['create', 'update', 'delete']),
    permissionSet: z.string(),
    role: z.string().describe('The IAM role name.'),
    accounts: z.array(AccountRefSchema).min(1).describe('Every account where this very change happens.'),
    changes: z
      .array(FieldChangeSchema)
      .describe('update: each changed attribute, old and new; create: the new role; delete: everything the role has, all of it lost.'),
  })
  .describe(
    "One change to one permission set's role, the same in each of its accounts (a change that differs by account is listed once per variant).",
  );

const GrantGroupSchema = z.strictObject({
  group: z.string().describe('The group as the assignment names it.'),
  permissionSet: z.string(),
  accounts: z.array(AccountRefSchema).min(1),
});

const PersonChangeSchema = z.strictObject({
  id: z.string().describe("The person's id as sign-in gives it: the user principal name, or the user pool's sub."),
  displayName: z.string(),
  permissionSet: z.string(),
  accounts: z.array(AccountRefSchema).min(1),
  groups: z.array(z.string()).describe('The groups that grant it (gains) or granted it (losses).'),
});

export const AccessSectionSchema = z.strictObject({
  comparedWith: z
    .enum(['applied', 'nothing-applied', 'unknown'])
    .describe(
      'What the new policy is compared with: the policy last applied (published in the bucket), nothing (no policy applied yet), or unknown (no bucket configured: access changes are not computed).',
    ),
  added: z.array(GrantGroupSchema).describe('(group, permission set) pairs gained, with the accounts.'),
  removed: z.array(GrantGroupSchema).describe('(group, permission set) pairs lost, with the accounts.'),
  changed: z
    .array(GrantGroupSchema)
    .describe('Groups that keep a permission set whose role changes (its permissions, session length, ...) in these accounts.'),
  people: z
    .strictObject({ gains: z.array(PersonChangeSchema), losses: z.array(PersonChangeSchema) })
    .optional()
    .describe('With --people: the groups resolved to people by the directory.'),
});

const ProblemSchema = z.strictObject({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

export const PlanDocumentSchema = z
  .strictObject({
    format: z.literal('switchyard-plan'),
    version: z.literal(1),
    outcome: z.enum(['no-changes', 'changes', 'error']).describe('As the exit code says it: 0, 2 and 1.'),
    errors: z.array(z.string()).describe('Why the outcome is "error": an invalid policy, the deletion guard, an account that cannot be read.'),
    problems: z.array(ProblemSchema).describe('Errors and warnings about the policy files.'),
    summary: z.strictObject({
      accounts: z.number().int(),
      create: z.number().int().describe('Roles created, counted once per account.'),
      update: z.number().int(),
      delete: z.number().int(),
      conflicts: z.number().int(),
      failedAccounts: z.number().int(),
      accessAdded: z.number().int().describe('(group, account, permission set) grants added.'),
      accessRemoved: z.number().int(),
    }),
    access: AccessSectionSchema,
    roles: z.array(RoleChangeGroupSchema),
    conflicts: z.array(z.strictObject({ account: AccountRefSchema, role: z.string(), reason: z.string() })),
    failedAccounts: z.array(z.strictObject({ account: AccountRefSchema, error: z.string() })),
  })
  .describe('What pushing a policy folder would change: switchyard policy plan --format json.');

export type AccountRef = z.infer<typeof AccountRefSchema>;
export type FieldChange = z.infer<typeof FieldChangeSchema>;
export type RoleChangeGroup = z.infer<typeof RoleChangeGroupSchema>;
export type GrantGroup = z.infer<typeof GrantGroupSchema>;
export type PersonChange = z.infer<typeof PersonChangeSchema>;
export type AccessSection = z.infer<typeof AccessSectionSchema>;
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;

/** The JSON Schema published as schema/plan.schema.json. */
export function planJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(PlanDocumentSchema, { target: 'draft-7', io: 'output' }), null, 2)}\n`;
}
