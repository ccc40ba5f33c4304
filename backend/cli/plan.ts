/**
 * `switchyard policy plan DIR [--format text|markdown|json] [--verbose] [--people] [--details-url URL]`:
 * what pushing DIR would change, read from the member accounts' real state; writes nothing. First who
 * gains and who loses access — the (group, account, permission set) grants added and removed against
 * the policy last applied (the bucket's published policy), and with --people the groups' members
 * from the directory — then each role change with old and new values, once for all the accounts it
 * happens in. Formats: text (a terminal), markdown (a pull-request comment), json (schema/plan.schema.json).
 * Exit codes as `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 an error (invalid
 * policy, the deletion guard would refuse, an account or the directory could not be read, a wrong
 * command line or configuration). Trust policies name SWITCHYARD_IDENTITY_POOL_ID and SWITCHYARD_DEVELOPER_PROVIDER.
 */
import { accessChanges, groupsAffected } from '../../shared/plan/access-changes.ts';
import { buildPlanDocument, type AppliedPolicy } from '../../shared/plan/build-plan-document.ts';
import type { GroupMember } from '../../shared/plan/people-changes.ts';
import type { PlanDocument } from '../../shared/plan/plan-document.ts';
import { planMarkdown } from '../../shared/plan/plan-markdown.ts';
import { planText } from '../../shared/plan/plan-text.ts';
import { printableJson } from '../../shared/printable.ts';
import { errorText } from '../../shared/error-text.ts';
import type { Policy } from '../../shared/policy/model.ts';
import { assembleGroupMembers } from '../assemble/group-members.ts';
import type { GroupMembers } from '../auth/group-members.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import { groupMembersConfig } from '../config/config.ts';
import { planPolicy, type PlanDeps } from '../reconcile/run.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, asUsageError, parseDirArgs, type CliIo, type Command } from './command.ts';
import { orUsage, plannerFromEnv } from './reconciler-from-env.ts';
import { readPolicyFolder } from './read-policy-folder.ts';

/** terraform plan -detailed-exitcode's "succeeded, and there are changes". */
export const EXIT_CHANGES = 2;

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface PlanCommandOptions {
  /** Planner parts (default: assembled from the environment). */
  deps?: (io: CliIo) => PlanDeps;
  /** Where --people finds the groups' members (default: the directory and user pool of the environment). */
  groupMembers?: (io: CliIo) => Promise<GroupMembers>;
}

export function makePolicyPlan(options: PlanCommandOptions = {}): Command {
  return {
    words: ['policy', 'plan'],
    usage: 'DIR [--format text|markdown|json] [--verbose] [--people] [--details-url URL]',
    summary: 'show who would gain and lose access, and every role change with old and new values, if DIR were pushed',
    help: [
      '--format markdown  a pull-request comment (at most 65,536 characters; what does not fit is left out and --details-url says where the rest is)',
      '--format json      the plan as JSON (schema/plan.schema.json; --json says the same)',
      '--verbose          list every account of a change, not the first 10',
      '--people           resolve the groups to people with the directory (SWITCHYARD_DIRECTORY, SWITCHYARD_COGNITO_USER_POOL_ID)',
      '',
      'Exit codes, as terraform plan -detailed-exitcode: 0 no changes, 2 changes, 1 error.',
      'Access changes are measured against the policy last applied: set SWITCHYARD_POLICY_BUCKET.',
    ].join('\n'),
    usageExitCode: EXIT_FAILED,
    async run(args, io) {
      const { values, dir } = parseDirArgs(args, {
        format: { type: 'string' },
        verbose: { type: 'boolean' },
        people: { type: 'boolean' },
        'details-url': { type: 'string' },
      });
      const format = formatOf(values.format, values.json === true);
      const files = await readPolicyFolder(dir, io);
      if (!files) return EXIT_FAILED;
      const deps = orUsage(() => (options.deps ? options.deps(io) : plannerFromEnv(io)));
      const people = values.people
        ? await (options.groupMembers ?? groupMembersFromEnv)(io).catch((error: unknown) => {
            throw asUsageError(error);
          })
        : undefined;

      const found = await planPolicy(deps, files);
      const errors: string[] = [];
      const applied = await readApplied(deps.bucket).catch((error: unknown): AppliedPolicy => {
        errors.push(`cannot read the policy last applied, so who gains and loses access is not known: ${errorText(error)}`);
        return { kind: 'unknown' };
      });
      let members: Map<string, GroupMember[]> | undefined;
      if (people && found.policy) {
        if (applied.kind === 'unknown') {
          if (errors.length === 0) errors.push('--people needs the policy last applied: set SWITCHYARD_POLICY_BUCKET');
        } else {
          members = await groupMembersOf(people, applied, found.policy).catch((error: unknown) => {
            errors.push(`cannot read the groups' members from ${people.source}: ${errorText(error)}`);
            return undefined;
          });
        }
      }
      const plan = buildPlanDocument({ ...found, applied, ...(members ? { members } : {}), errors });
      io.stdout(`${render(plan, format, { verbose: values.verbose === true, detailsUrl: values['details-url'] })}\n`);
      return plan.outcome === 'error' ? EXIT_FAILED : plan.outcome === 'changes' ? EXIT_CHANGES : EXIT_OK;
    },
  };
}

export const policyPlan = makePolicyPlan();

function formatOf(format: string | undefined, json: boolean): Format {
  if (json && format !== undefined && format !== 'json') throw new UsageError(`--json means --format json, not --format ${format}`);
  const chosen = json ? 'json' : (format ?? 'text');
  if (!(FORMATS as readonly string[]).includes(chosen)) throw new UsageError(`--format must be text, markdown or json, not "${chosen}"`);
  return chosen as Format;
}

function render(plan: PlanDocument, format: Format, options: { verbose: boolean; detailsUrl?: string | undefined }): string {
  switch (format) {
    case 'json':
      return printableJson(plan, 2);
    case 'markdown':
      return planMarkdown(plan, { verbose: options.verbose, ...(options.detailsUrl ? { detailsUrl: options.detailsUrl } : {}) });
    case 'text':
      return planText(plan, { verbose: options.verbose });
  }
}

/** The policy the reconciler last applied, as it published it; unknown without a bucket. */
async function readApplied(bucket: PolicyBucket | undefined): Promise<AppliedPolicy> {
  if (!bucket) return { kind: 'unknown' };
  const published = await bucket.readPublishedPolicy();
  return typeof published === 'object' ? { kind: 'applied', policy: published.policy } : { kind: 'nothing-applied' };
}

/** Only the groups whose members can gain or lose something are asked for. */
async function groupMembersOf(people: GroupMembers, applied: AppliedPolicy, policy: Policy): Promise<Map<string, GroupMember[]>> {
  const before = applied.kind === 'applied' ? applied.policy : undefined;
  const groups = groupsAffected(before, policy, accessChanges(before, policy));
  return groups.length === 0 ? new Map() : people.membersOf(groups);
}

async function groupMembersFromEnv(io: CliIo): Promise<GroupMembers> {
  return assembleGroupMembers(groupMembersConfig(io.env));
}
