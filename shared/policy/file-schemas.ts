/**
 * The shape of each policy file kind. Only shape here (no transforms), so the same schemas produce
 * the published JSON Schemas; cross-file rules live in the loaders.
 */
import { z } from 'zod';
import {
  MAX_MANAGED_POLICIES_PER_ROLE,
  MAX_PERMISSION_SET_NAME_LENGTH,
  MAX_SESSION_SECONDS,
  MIN_SESSION_SECONDS,
  MAX_ROLE_DESCRIPTION_LENGTH,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TRUST_POLICY_CHARS,
  ROLE_NAME_PATTERN,
  TAG_CHARS_PATTERN,
} from '../iam/limits.ts';
import { AWS_REGION_NAME } from '../console/partitions.ts';
import { NO_UNSAFE_CHARACTERS, NO_UNSAFE_CHARACTERS_BUT_LINE_BREAKS, UNSAFE_CHARACTERS_RULE } from '../printable.ts';

const SECONDS_RANGE_MESSAGE = `must be between ${MIN_SESSION_SECONDS} and ${MAX_SESSION_SECONDS} seconds (1 h to 12 h)`;

/** A name that is printed and compared: no control or bidi characters (see shared/printable.ts). */
function safeText(what: string) {
  return z.string().regex(NO_UNSAFE_CHARACTERS, `${what} ${UNSAFE_CHARACTERS_RULE}`);
}

export const ACCOUNT_ID_MESSAGE = 'account id must be a quoted string of 12 digits';

export const AccountIdSchema = z
  .string({ error: ACCOUNT_ID_MESSAGE })
  .regex(/^\d{12}$/, 'account id must be exactly 12 digits')
  .describe('AWS account ID: exactly 12 digits, always quoted ("012345678901")');

/** A region name of any AWS partition (AWS SDK data); whether the deployment can open it is checked by regions.ts. */
export const RegionSchema = z
  .string({ error: 'region must be a string such as "eu-west-1"' })
  .regex(AWS_REGION_NAME, 'region must be an AWS region name such as eu-west-1');

export const ColorSchema = z
  .string({ error: 'color must be a string such as "#d13212"' })
  .regex(/^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$/, 'color must be "#rgb", "#rrggbb" or a CSS colour name')
  .describe('CSS colour shown next to the account, e.g. "#d13212" or "red"');

export const TagKeySchema = z
  .string()
  .min(1, 'tag key must not be empty')
  .max(MAX_TAG_KEY_LENGTH, `tag key must be at most ${MAX_TAG_KEY_LENGTH} characters`)
  .regex(TAG_CHARS_PATTERN, 'tag key may contain only letters, digits, spaces and _ . : / = + - @')
  .regex(/^(?![aA][wW][sS]:)/, 'tag keys starting with "aws:" are reserved by AWS');

export const TagValueSchema = z
  .string({ error: 'tag value must be a string (quote numbers and booleans)' })
  .max(MAX_TAG_VALUE_LENGTH, `tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters`)
  .regex(TAG_CHARS_PATTERN, 'tag value may contain only letters, digits, spaces and _ . : / = + - @');

export const TagsSchema = z.record(TagKeySchema, TagValueSchema, { error: 'tags must be a map of key: value' });

export const OuPathSchema = z
  .string({ error: 'OU path must be a string such as "/Root/Workloads/Prod"' })
  .regex(/^(\/[^/]+)+\/?$/, 'OU path must look like "/Root/Workloads/Prod"')
  .regex(NO_UNSAFE_CHARACTERS, `OU path ${UNSAFE_CHARACTERS_RULE}`);

const AccountNameSchema = safeText('account name').min(1).max(50, 'account name must be at most 50 characters');

const SchemaRef = z.string().describe('JSON Schema of this file, for editors');

export const PolicyArnSchema = z
  .string({ error: 'policy ARN must be a string' })
  .regex(/^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, 'must be a managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess');

export const SettingsFileSchema = z
  .strictObject({
    $schema: SchemaRef.optional(),
    discoverAccounts: z.boolean().optional().describe('Take the account inventory from AWS Organizations; accounts files then add to or override it'),
    allowMassDeletion: z.boolean().optional().describe('Allow one run to delete more managed roles than the deletion guard permits'),
    defaultRegions: z.array(RegionSchema).optional().describe('Regions for accounts that name none; the first is the default'),
    limits: z
      .strictObject({
        managedPoliciesPerRole: z.int().min(1).max(MAX_MANAGED_POLICIES_PER_ROLE).optional(),
        trustPolicySize: z.int().min(1).max(MAX_TRUST_POLICY_CHARS).optional(),
      })
      .optional()
      .describe('IAM quotas of your accounts, if raised above the defaults (10 managed policies, 2048 characters)'),
  })
  .meta({ title: 'Switchyard settings', description: 'settings.yaml: options for the whole policy' });

export const AccountEntrySchema = z.strictObject({
  id: AccountIdSchema.optional(),
  name: AccountNameSchema.optional(),
  color: ColorSchema.optional(),
  tags: TagsSchema.optional(),
  regions: z.array(RegionSchema).optional().describe('Console regions; the first is the default'),
  ouPath: OuPathSchema.optional(),
});

export const AccountsFileSchema = z
  .strictObject({
    $schema: SchemaRef.optional(),
    accounts: z
      .array(AccountEntrySchema)
      .describe('Accounts; with discovery, an entry adds to or overrides a discovered account (matched by id, else name)'),
  })
  .meta({ title: 'Switchyard accounts', description: 'accounts.yaml or accounts/*.yaml: the account inventory' });

export const PermissionSetFileSchema = z
  .strictObject({
    $schema: SchemaRef.optional(),
    name: z
      .string()
      .regex(ROLE_NAME_PATTERN, 'name may contain only letters, digits and + = , . @ _ -')
      .max(MAX_PERMISSION_SET_NAME_LENGTH, `name must be at most ${MAX_PERMISSION_SET_NAME_LENGTH} characters (the role name adds a prefix)`)
      .optional()
      .describe('Defaults to the file name; when given it must equal the file name'),
    description: z
      .string()
      .max(MAX_ROLE_DESCRIPTION_LENGTH)
      .regex(
        NO_UNSAFE_CHARACTERS_BUT_LINE_BREAKS,
        `description ${UNSAFE_CHARACTERS_RULE.replace('(such as', '(other than tab and line breaks, such as')}`,
      )
      .optional(),
    sessionDuration: z
      .union(
        [
          z.string().regex(/^PT(\d+H)?(\d+M)?(\d+S)?$/, 'must be an ISO 8601 duration such as PT8H or PT1H30M'),
          z.int().min(MIN_SESSION_SECONDS, SECONDS_RANGE_MESSAGE).max(MAX_SESSION_SECONDS, SECONDS_RANGE_MESSAGE),
        ],
        { error: 'must be an ISO 8601 duration such as PT8H or a number of seconds' },
      )
      .optional()
      .describe('Console session length, 1 to 12 hours: ISO 8601 (PT8H, PT1H30M) or seconds (28800). Default PT1H'),
    managedPolicies: z.array(PolicyArnSchema).optional(),
    inlinePolicy: safeText('inline policy path')
      .regex(/\.json$/, 'inlinePolicy must name a .json file')
      .optional()
      .describe('Path of a JSON policy document, relative to this file, e.g. ../policies/deny-secrets.json'),
    permissionsBoundary: PolicyArnSchema.optional(),
    tags: TagsSchema.optional().describe('Tags on the role in every account'),
    cli: z
      .boolean('cli must be true or false')
      .optional()
      .describe('false: console-only, the console alone and never temporary credentials for the terminal (POST /credentials). Default true'),
  })
  .meta({ title: 'Switchyard permission set', description: 'permission-sets/NAME.yaml: one role definition' });

export const SelectorSchema = z
  .strictObject({
    ids: z.array(AccountIdSchema).min(1).optional(),
    names: z.array(AccountNameSchema).min(1).optional(),
    tags: TagsSchema.optional().describe('Every tag must match'),
    ouPaths: z.array(OuPathSchema).min(1).optional().describe('Accounts in these OUs or below them'),
  })
  .describe('Accounts matching every field given; within a list, any entry');

export const AccountsSelectionSchema = z.union(
  [z.literal('*').describe('All accounts'), SelectorSchema, z.array(SelectorSchema).min(1).describe('Accounts matching any selector')],
  { error: 'accounts must be "*", a selector {ids, names, tags, ouPaths} or a list of selectors' },
);

export const AssignmentsFileSchema = z
  .strictObject({
    $schema: SchemaRef.optional(),
    assignments: z.array(
      z.strictObject({
        group: safeText('group').min(1).max(1024).describe('Directory or Cognito group: a name or a distinguished name'),
        permissionSet: safeText('permission set').min(1),
        accounts: AccountsSelectionSchema,
      }),
    ),
  })
  .meta({ title: 'Switchyard assignments', description: 'assignments.yaml or assignments/*.yaml: group -> permission set -> accounts' });

/** An ISO 8601 time duration (PT2H, PT1H30M, PT45M); its range is checked by the loader, which names the field. */
const TimeSpanSchema = (what: string) =>
  z
    .string({ error: `${what} must be an ISO 8601 duration such as PT2H or PT30M` })
    .regex(/^PT(\d+H)?(\d+M)?(\d+S)?$/, `${what} must be an ISO 8601 duration such as PT2H or PT30M`);

export const ApprovalSchema = z.union(
  [
    z.literal('none').describe('Self-service: the grant starts at once, with an audit record and a notification'),
    z.strictObject({
      groups: z
        .array(safeText('approver group').min(1).max(1024))
        .min(1, 'name at least one approver group (or say `approval: none` for self-service)')
        .max(20, 'at most 20 approver groups')
        .describe('Who may approve: directory or Cognito groups, read from the directory when they approve'),
      count: z.int().min(1).max(10).optional().describe('Approvals needed, each from a different person, never the requester (default 1)'),
      distinctGroups: z
        .boolean()
        .optional()
        .describe(
          'Each approval must come from a member of a group no earlier approval counted for (default false); count may then not exceed the number of groups',
        ),
    }),
  ],
  { error: 'approval must be "none" or {groups, count?, distinctGroups?}' },
);

export const EligibilityFileSchema = z
  .strictObject({
    $schema: SchemaRef.optional(),
    eligibility: z.array(
      z.strictObject({
        group: safeText('group').min(1).max(1024).describe('Who may ask: a directory or Cognito group, matched as in assignments'),
        permissionSet: safeText('permission set').min(1),
        accounts: AccountsSelectionSchema,
        maxDuration: TimeSpanSchema('maxDuration').describe('Longest grant a request may ask for: PT15M to PT168H (7 days)'),
        defaultDuration: TimeSpanSchema('defaultDuration')
          .optional()
          .describe('What a request asks for when it names no duration (default PT1H, or maxDuration when shorter)'),
        longerThanSession: z
          .boolean()
          .optional()
          .describe(
            "true when maxDuration is meant to exceed the permission set's session length: the person opens the console again within the grant",
          ),
        justification: z
          .strictObject({
            required: z.boolean().optional().describe('Whether a request must say why (default true)'),
            pattern: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('A regular expression (JavaScript, Unicode) the justification must match, e.g. a ticket id: ^[A-Z]+-[0-9]+'),
            example: safeText('example').max(100).optional().describe('An example that matches pattern, shown to people who must write one'),
          })
          .optional()
          .describe('Default: required, any text'),
        approval: ApprovalSchema,
        pendingExpiry: TimeSpanSchema('pendingExpiry')
          .optional()
          .describe('How long a request may wait for its approvals: PT5M to PT168H (default PT24H)'),
        extensions: z
          .strictObject({
            count: z.int().min(0).max(10).describe('How many times a grant may be extended'),
            duration: TimeSpanSchema('extensions.duration').describe('How much time each extension adds, at most'),
          })
          .optional()
          .describe('Default: no extensions'),
      }),
    ),
  })
  .meta({
    title: 'Switchyard eligibility',
    description: 'eligibility.yaml or eligibility/*.yaml: group -> permission set -> accounts, on request, for a while, with approval',
  });

export type SettingsFile = z.infer<typeof SettingsFileSchema>;
export type AccountsFile = z.infer<typeof AccountsFileSchema>;
export type AccountEntry = z.infer<typeof AccountEntrySchema>;
export type PermissionSetFile = z.infer<typeof PermissionSetFileSchema>;
export type AssignmentsFile = z.infer<typeof AssignmentsFileSchema>;
export type SelectorEntry = z.infer<typeof SelectorSchema>;
export type EligibilityFile = z.infer<typeof EligibilityFileSchema>;
export type EligibilityEntry = EligibilityFile['eligibility'][number];
