/**
 * Which (account, permission set) pairs are known to work, published with the applied policy so the API
 * lists and opens only those (docs/console-access.md, "Which roles are offered"):
 *   - converged in this run (created, updated or already right): available;
 *   - its role failed to be written, or its name belongs to a role Switchyard does not manage: not available;
 *   - in an account that failed as a whole: as it was in the previous publication (its role was not touched).
 */
import type { AccountReport } from './report.ts';

/** Account id -> the permission sets whose role is in place there. */
export type Availability = Record<string, string[]>;

export interface DesiredPair {
  permissionSet: string;
  roleName: string;
}

export function availabilityAfterRun(input: {
  /** Desired roles per account id (desiredRoles). */
  wanted: ReadonlyMap<string, readonly DesiredPair[]>;
  /** The run's account reports. */
  accounts: readonly AccountReport[];
  /** What the previous publication said; undefined when there was none or it is unreadable. */
  previous?: Availability;
}): Availability {
  const reports = new Map(input.accounts.map((report) => [report.accountId, report]));
  const available: Availability = {};
  for (const [accountId, pairs] of input.wanted) {
    const report = reports.get(accountId);
    if (!report) continue;
    let names: string[];
    if (report.error !== undefined) {
      const before = new Set(input.previous?.[accountId] ?? []);
      names = pairs.filter((pair) => before.has(pair.permissionSet)).map((pair) => pair.permissionSet);
    } else {
      const broken = new Set([...report.failed.map((failure) => failure.role), ...report.conflicts.map((conflict) => conflict.roleName)].map(lower));
      names = pairs.filter((pair) => !broken.has(lower(pair.roleName))).map((pair) => pair.permissionSet);
    }
    if (names.length > 0) available[accountId] = names.sort();
  }
  return available;
}

/** Whether a pair is available; an undefined availability (a policy published before availability existed) means every pair. */
export function isAvailable(availability: Availability | undefined, accountId: string, permissionSet: string): boolean {
  return availability === undefined || (availability[accountId]?.includes(permissionSet) ?? false);
}

/** IAM role names are unique without regard to case. */
function lower(name: string): string {
  return name.toLowerCase();
}
