/**
 * IAM's names and quotas the policy files are checked against. Quotas marked "default" can be
 * raised with AWS; settings.yaml `limits` then tells Switchyard about the raised value. Each comes from
 * the AWS documentation page linked beside it; most from "IAM and AWS STS quotas":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import { MAX_ROLE_NAME_LENGTH, ROLE_NAME_PREFIX } from '../naming.ts';

/** Characters IAM allows in a role name (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]+$/;
/** Longest permission set name whose role name (prefix + name) still fits IAM's limit. */
export const MAX_PERMISSION_SET_NAME_LENGTH = MAX_ROLE_NAME_LENGTH - ROLE_NAME_PREFIX.length;

/**
 * A role's maximum session duration: 1 to 12 hours, 1 hour unless set
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, MaxSessionDuration).
 */
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;
export const DEFAULT_SESSION_SECONDS = 3600;
/**
 * The shortest session STS and the federation endpoint grant: AssumeRole* DurationSeconds
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html) and the sign-in
 * URL's SessionDuration (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html)
 * both run from 900 seconds to MAX_SESSION_SECONDS.
 */
export const MIN_REQUESTED_SESSION_SECONDS = 900;

/** IAM's page of quotas and character limits; `#reference_iam-quotas-entity-length` is the one of policy sizes. */
export const IAM_QUOTAS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
export const IAM_POLICY_SIZE_URL = `${IAM_QUOTAS_URL}#reference_iam-quotas-entity-length`;
/** The characters a policy document may hold are on the same page, under the name requirements. */
export const IAM_POLICY_NAMES_URL = `${IAM_QUOTAS_URL}#reference_iam-quotas-names`;

/** A role's inline policies together (IAM's aggregate per-role limit, IAM_POLICY_SIZE_URL; how it is counted: shared/iam/policy-document.ts). */
export const MAX_INLINE_POLICY_CHARS = 10_240;
/** One customer managed policy (IAM_POLICY_SIZE_URL). Switchyard attaches managed policies by ARN; it never writes one. */
export const MAX_MANAGED_POLICY_CHARS = 6_144;
/** Role trust policy length: default quota and the most it can be raised to. */
export const DEFAULT_TRUST_POLICY_CHARS = 2048;
export const MAX_TRUST_POLICY_CHARS = 4096;
/** Managed policies attached to one role: default quota and the most it can be raised to. */
export const DEFAULT_MANAGED_POLICIES_PER_ROLE = 10;
export const MAX_MANAGED_POLICIES_PER_ROLE = 20;

/** Tags per role (the quotas page), and their keys' and values' lengths and characters (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html). */
export const MAX_TAGS_PER_ROLE = 50;
/** Tags Switchyard itself may put on a role (switchyard:managed and one spare); files get the rest. */
export const SWITCHYARD_ROLE_TAG_ALLOWANCE = 2;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Letters, digits, white space and _ . : / = + - @ (IAM and Organizations tags). */
export const TAG_CHARS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Tag key prefix reserved for Switchyard's own role tags. */
export const RESERVED_TAG_PREFIX = 'switchyard:';

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html, Description. */
export const MAX_ROLE_DESCRIPTION_LENGTH = 1000;
