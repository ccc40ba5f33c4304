/** Permission sets: one per file, checked against IAM's limits for the role each one becomes. */
import type { Partition } from '../console/partitions.ts';
import { policySize } from '../iam/policy-document.ts';
import { maxTrustPolicyLength } from '../iam/trust-policy.ts';
import { MAX_ROLE_NAME_LENGTH, roleNameFor } from '../naming.ts';
import { describeSeconds, parseDuration } from './duration.ts';
import { stemOf } from './file-kinds.ts';
import type { PermissionSetFile } from './file-schemas.ts';
import {
  DEFAULT_SESSION_SECONDS,
  IAM_POLICY_SIZE_URL,
  MAX_INLINE_POLICY_CHARS,
  MAX_SESSION_SECONDS,
  MAX_TAGS_PER_ROLE,
  MIN_SESSION_SECONDS,
  RESERVED_TAG_PREFIX,
  ROLE_NAME_PATTERN,
  SWITCHYARD_ROLE_TAG_ALLOWANCE,
} from '../iam/limits.ts';
import type { PermissionSet } from './model.ts';
import { resolveReference, type PolicyDocuments } from './policy-documents.ts';
import type { Problem } from './problem.ts';
import { withPath } from './schema-problems.ts';
import type { Settings } from './settings.ts';
import type { SourceDocument } from './source-document.ts';

export interface PermissionSetSource {
  document: SourceDocument;
  data: PermissionSetFile;
}

export interface PermissionSetOptions {
  settings: Settings;
  /** The deployment's partition: managed policy and boundary ARNs of another one are errors. */
  partition?: Partition;
  policyDocuments: PolicyDocuments;
  /** Length of the trust policy the reconciler will write for this permission set. */
  trustPolicyLength?: (permissionSet: PermissionSet) => number;
}

const thousands = (value: number) => value.toLocaleString('en-US');

export function buildPermissionSets(
  sources: readonly PermissionSetSource[],
  options: PermissionSetOptions,
): { permissionSets: PermissionSet[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const permissionSets: PermissionSet[] = [];
  const seen = new Map<string, string>();

  for (const { document, data } of sources) {
    const error = (path: (string | number)[], message: string, part?: 'key' | 'value') =>
      problems.push(document.problem(path, 'error', message, part));
    const stem = stemOf(document.file);
    const name = data.name ?? stem;
    const namePath = data.name === undefined ? [] : ['name'];
    let valid = true;
    const fail = (path: (string | number)[], message: string, part?: 'key' | 'value') => {
      valid = false;
      error(path, message, part);
    };

    if (data.name !== undefined && data.name !== stem) {
      fail(['name'], `name "${data.name}" differs from the file name "${stem}"; rename one so they match`);
    } else if (!ROLE_NAME_PATTERN.test(name)) {
      fail(namePath, `permission set name "${name}" may contain only letters, digits and + = , . @ _ -`);
    } else if (roleNameFor(name).length > MAX_ROLE_NAME_LENGTH) {
      fail(namePath, `role name "${roleNameFor(name)}" is ${roleNameFor(name).length} characters; IAM allows ${MAX_ROLE_NAME_LENGTH}`);
    }
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) fail(namePath, `permission set "${name}" is already defined in ${first} (IAM role names ignore case)`);
    else seen.set(name.toLowerCase(), document.file);

    let sessionDurationSeconds = DEFAULT_SESSION_SECONDS;
    if (data.sessionDuration !== undefined) {
      const seconds = parseDuration(data.sessionDuration);
      if (seconds === undefined) {
        fail(['sessionDuration'], `sessionDuration "${data.sessionDuration}" is not an ISO 8601 duration such as PT8H or a number of seconds`);
      } else if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
        fail(['sessionDuration'], `sessionDuration is ${describeSeconds(seconds)}; it must be between 1 h and 12 h`);
      } else {
        sessionDurationSeconds = seconds;
      }
    }

    const managedPolicyArns = data.managedPolicies ?? [];
    const quota = options.settings.managedPoliciesPerRole;
    if (managedPolicyArns.length > quota) {
      fail(
        ['managedPolicies'],
        `${managedPolicyArns.length} managed policies; a role may have at most ${quota} (raise the IAM quota and set limits.managedPoliciesPerRole in settings)`,
        'key',
      );
    }
    managedPolicyArns.forEach((arn, index) => {
      if (managedPolicyArns.indexOf(arn) !== index) fail(['managedPolicies', index], `managed policy ${arn} is listed twice`);
      const elsewhere = otherPartitionArn(arn, options.partition);
      if (elsewhere) fail(['managedPolicies', index], withPath(['managedPolicies', index], elsewhere));
    });
    const boundaryElsewhere = data.permissionsBoundary === undefined ? undefined : otherPartitionArn(data.permissionsBoundary, options.partition);
    if (boundaryElsewhere) fail(['permissionsBoundary'], withPath(['permissionsBoundary'], boundaryElsewhere));

    let inlinePolicy: Record<string, unknown> | undefined;
    if (data.inlinePolicy !== undefined) {
      const path = resolveReference(document.file, data.inlinePolicy);
      const found = path === undefined ? undefined : options.policyDocuments.lookup(path);
      if (path === undefined) fail(['inlinePolicy'], `inline policy "${data.inlinePolicy}" is outside the policy folder`);
      else if (found?.status === 'missing') fail(['inlinePolicy'], `inline policy file "${path}" not found`);
      else if (found?.status === 'invalid') valid = false;
      else if (found?.status === 'ok') {
        const size = policySize(found.value);
        if (size > MAX_INLINE_POLICY_CHARS) {
          fail(
            ['inlinePolicy'],
            `inline policy "${path}" is ${thousands(size)} bytes; IAM allows ${thousands(MAX_INLINE_POLICY_CHARS)} characters of inline policy per role. ` +
              "Switchyard counts the JSON it sends, in UTF-8 bytes, white space inside strings included: IAM's documentation says white space is not counted " +
              'but not whether inside strings, nor how characters above U+007F count, so this check errs towards refusing, never passing, what IAM might refuse ' +
              `(${IAM_POLICY_SIZE_URL})`,
          );
        }
        inlinePolicy = found.value;
      }
    }
    if (managedPolicyArns.length === 0 && data.inlinePolicy === undefined) {
      fail([], `permission set "${name}" grants nothing: give managedPolicies or inlinePolicy`);
    }

    const tags = data.tags ?? {};
    const tagKeys = Object.keys(tags);
    const maxTags = MAX_TAGS_PER_ROLE - SWITCHYARD_ROLE_TAG_ALLOWANCE;
    if (tagKeys.length > maxTags) {
      fail(
        ['tags'],
        `${tagKeys.length} tags; a role may have ${MAX_TAGS_PER_ROLE}, of which Switchyard keeps ${SWITCHYARD_ROLE_TAG_ALLOWANCE}, so at most ${maxTags}`,
        'key',
      );
    }
    for (const key of tagKeys) {
      if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX))
        fail(['tags', key], `tag keys starting with "${RESERVED_TAG_PREFIX}" are reserved for Switchyard`, 'key');
    }

    const permissionSet: PermissionSet = {
      name,
      sessionDurationSeconds,
      managedPolicyArns: [...managedPolicyArns],
      tags: { ...tags },
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(inlinePolicy !== undefined ? { inlinePolicy } : {}),
      ...(data.permissionsBoundary !== undefined ? { permissionsBoundaryArn: data.permissionsBoundary } : {}),
      ...(data.cli === false ? { consoleOnly: true as const } : {}),
    };
    const trustLength = (options.trustPolicyLength ?? ((set: PermissionSet) => maxTrustPolicyLength(set.name)))(permissionSet);
    if (trustLength > options.settings.trustPolicySize) {
      fail(
        namePath,
        `the trust policy of role "${roleNameFor(name)}" would be ${thousands(trustLength)} characters, over the ${thousands(options.settings.trustPolicySize)}-character quota (raise the IAM quota and set limits.trustPolicySize in settings)`,
      );
    }
    if (valid) permissionSets.push(permissionSet);
  }
  return { permissionSets, problems };
}

/**
 * An ARN of another partition than the deployment's names a policy IAM cannot attach there (every role
 * would fail with NoSuchEntity): what it is, and what it would be in the deployment's partition.
 */
function otherPartitionArn(arn: string, partition: Partition | undefined): string | undefined {
  const [prefix, arnPartition, ...rest] = arn.split(':');
  if (partition === undefined || arnPartition === partition) return undefined;
  const corrected = [prefix, partition, ...rest].join(':');
  return `${arn} is an ARN of the ${arnPartition} partition, but this Switchyard deployment is in ${partition} (the partition of its region); write ${corrected}`;
}
