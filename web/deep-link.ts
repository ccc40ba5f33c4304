/**
 * Deep links to one pair: `#/open?account=…&permissionSet=…&region=…&destination=…` opens that account
 * and permission set after sign-in (colleagues share them; the panel's "Copy link" makes one). A link is
 * attacker-controlled input: every parameter is checked here before anything is done with it, anything
 * unknown, repeated or malformed refuses the whole link, and a refusal names the parameter without
 * quoting what it held. The destination is checked again against the pair's partition
 * (shared/console/destination.ts) once the pair is known, and the backend checks everything once more.
 */
import type { Entitlement } from '../shared/api/entitlements.ts';
import { MAX_DESTINATION_LENGTH } from '../shared/api/federate.ts';
import { checkConsoleDestination } from '../shared/console/destination.ts';
import { AWS_REGION_NAME, isRegionOf, partitionOfRegion, regionsOfPartition } from '../shared/console/partitions.ts';
import { MAX_PERMISSION_SET_NAME_LENGTH, ROLE_NAME_PATTERN } from '../shared/iam/limits.ts';
import { hasUnsafeCharacter } from '../shared/printable.ts';

export const OPEN_ROUTE = '#/open';

export interface DeepLink {
  /** A 12-digit account ID, or an account's name as the list shows it. */
  account: string;
  permissionSet: string;
  region?: string;
  destination?: string;
}

export type DeepLinkCheck = { ok: true; link: DeepLink } | { ok: false; problem: string };

const PARAMETERS = ['account', 'permissionSet', 'region', 'destination'] as const;
type Parameter = (typeof PARAMETERS)[number];
/** Longer than any link the page makes (a destination is at most 2,048 characters). */
const MAX_QUERY_LENGTH = 4096;
const MAX_ACCOUNT_NAME_LENGTH = 50;
const MAX_REGION_LENGTH = 32;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = new RegExp(`^(?:${AWS_REGION_NAME.source})$`);
/** A parameter name safe to repeat in a message. */
const SHOWABLE_NAME = /^[A-Za-z][\w-]{0,31}$/;

const isParameter = (name: string): name is Parameter => (PARAMETERS as readonly string[]).includes(name);

/** Checks the query of an `#/open?…` link (what follows the "?"). */
export function parseDeepLink(query: string): DeepLinkCheck {
  if (query.length > MAX_QUERY_LENGTH) return { ok: false, problem: `the link is longer than ${MAX_QUERY_LENGTH} characters` };
  const values: Partial<Record<Parameter, string>> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (!isParameter(name)) {
      return {
        ok: false,
        problem: SHOWABLE_NAME.test(name)
          ? `the link has a parameter "${name}" the page does not know`
          : 'the link has a parameter the page does not know',
      };
    }
    if (values[name] !== undefined) return { ok: false, problem: `the link names ${name} more than once` };
    values[name] = value;
  }
  const { account, permissionSet, region, destination } = values;
  if (!account) return { ok: false, problem: 'the link names no account' };
  if (!ACCOUNT_ID.test(account) && (account.length > MAX_ACCOUNT_NAME_LENGTH || account.trim() !== account || hasUnsafeCharacter(account))) {
    return { ok: false, problem: 'account must be a 12-digit account ID or an account name' };
  }
  if (!permissionSet) return { ok: false, problem: 'the link names no permissionSet' };
  if (!ROLE_NAME_PATTERN.test(permissionSet) || permissionSet.length > MAX_PERMISSION_SET_NAME_LENGTH) {
    return { ok: false, problem: 'permissionSet is not a permission set name' };
  }
  if (region !== undefined && (region.length > MAX_REGION_LENGTH || !REGION.test(region))) {
    return { ok: false, problem: 'region must be an AWS region name such as eu-west-1' };
  }
  if (destination !== undefined) {
    if (destination.length === 0 || destination.length > MAX_DESTINATION_LENGTH || hasUnsafeCharacter(destination)) {
      return { ok: false, problem: `destination must be a console path or console URL of at most ${MAX_DESTINATION_LENGTH} characters` };
    }
    if (!destination.startsWith('/') && !destination.startsWith('https://')) {
      return { ok: false, problem: 'destination must be a console path such as /ec2/home or an https:// console URL' };
    }
  }
  return {
    ok: true,
    link: { account, permissionSet, ...(region !== undefined ? { region } : {}), ...(destination !== undefined ? { destination } : {}) },
  };
}

/** The link that opens this pair on the page at `pageAddress` (its origin and path). */
export function deepLinkTo(pageAddress: string, link: DeepLink): string {
  const query = new URLSearchParams({ account: link.account, permissionSet: link.permissionSet });
  if (link.region) query.set('region', link.region);
  if (link.destination) query.set('destination', link.destination);
  return `${pageAddress}${OPEN_ROUTE}?${query.toString()}`;
}

export interface DeepLinkTarget {
  accountId: string;
  accountName: string;
  permissionSet: string;
  region?: string;
  destination?: string;
}

/**
 * The pair a checked link names, among the person's entitlements; refused when they have no such pair,
 * when the name fits several of their accounts, or when the destination or region is not one the pair's
 * console can open (the partition of the account's regions).
 */
export function deepLinkTarget(
  link: DeepLink,
  entitlements: readonly Entitlement[],
): { ok: true; target: DeepLinkTarget } | { ok: false; problem: string } {
  const matches = entitlements.filter(
    (entry) => entry.permissionSet === link.permissionSet && (entry.accountId === link.account || entry.accountName === link.account),
  );
  const entry = matches[0];
  if (!entry)
    return { ok: false, problem: `you have no access to ${link.account} as ${link.permissionSet}, or no such account and permission set exist` };
  if (new Set(matches.map((match) => match.accountId)).size > 1) {
    return { ok: false, problem: `more than one of your accounts is named ${link.account}: the link must name the account's ID` };
  }
  if (link.region !== undefined || link.destination !== undefined) {
    const partition = partitionOfRegion(entry.regions[0] ?? link.region ?? '') ?? 'aws';
    const defaultRegion = entry.regions.find((region) => isRegionOf(region, partition)) ?? regionsOfPartition(partition)[0] ?? 'us-east-1';
    const check = checkConsoleDestination({
      ...(link.destination !== undefined ? { destination: link.destination } : {}),
      ...(link.region !== undefined ? { region: link.region } : {}),
      defaultRegion,
      partition,
    });
    if (!check.ok) return { ok: false, problem: check.message };
  }
  return {
    ok: true,
    target: {
      accountId: entry.accountId,
      accountName: entry.accountName,
      permissionSet: entry.permissionSet,
      ...(link.region !== undefined ? { region: link.region } : {}),
      ...(link.destination !== undefined ? { destination: link.destination } : {}),
    },
  };
}
