/**
 * Names and tags that tie IAM roles to Switchyard. The reconciler writes them, the broker relies on
 * them, and the trust policy checks them, so they live in one place.
 */
import type { Partition } from './console/partitions.ts';

/** IAM path of every role Switchyard manages; roles elsewhere are never touched. */
export const MANAGED_ROLE_PATH = '/switchyard/';
/** Tag present on every role Switchyard manages (value: "true"). */
export const MANAGED_TAG_KEY = 'switchyard:managed';
export const ROLE_NAME_PREFIX = 'Switchyard-';
/** IAM role names are at most 64 characters (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MAX_ROLE_NAME_LENGTH = 64;
/** Session (principal) tag naming the one role a web-identity token may assume. */
export const TARGET_TAG_KEY = 'switchyard:target';
/** Session (principal) tag naming the person. */
export const USER_TAG_KEY = 'switchyard:user';

export function roleNameFor(permissionSet: string): string {
  return `${ROLE_NAME_PREFIX}${permissionSet}`;
}

export function roleArnFor(accountId: string, permissionSet: string, partition: Partition): string {
  return `arn:${partition}:iam::${accountId}:role${MANAGED_ROLE_PATH}${roleNameFor(permissionSet)}`;
}

export function targetTagValue(accountId: string, permissionSet: string): string {
  return `${accountId}:${permissionSet}`;
}

/**
 * Role session names are `<person>+<click id>`, the click id this many characters of [a-z2-7]
 * (backend/broker/session-name.ts): a revocation's deny matches a person's sessions by this shape.
 */
export const CLICK_ID_LENGTH = 12;
