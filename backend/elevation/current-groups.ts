/**
 * A person's groups as the directory has them now, not as their sign-in said: what an approver's right to
 * approve is decided by, so an access token minted before they left a group does not count.
 */
import type { Person } from '../../shared/api/person.ts';
import type { Directory } from '../auth/directory.ts';

export interface CurrentGroups {
  /**
   * The groups the person is in now; null when the directory no longer has them (gone, disabled). Throws
   * CurrentGroupsUnavailable when this deployment cannot look people up, DirectoryUnavailable when the
   * directory does not answer.
   */
  of(person: Person): Promise<string[] | null>;
}

/** This deployment cannot read a person's groups without their password. */
export class CurrentGroupsUnavailable extends Error {
  override readonly name = 'CurrentGroupsUnavailable';
}

/** From the sign-in directory (embedded or LDAP; LDAP needs its read-only service account). */
export function directoryGroups(directory: Directory | undefined): CurrentGroups {
  return {
    async of(person) {
      if (!directory?.findById) {
        throw new CurrentGroupsUnavailable(
          directory
            ? "approving needs the approver's groups read from the directory, and this directory cannot look people up: set SWITCHYARD_LDAP_SERVICE_ACCOUNT"
            : "approving needs the approver's groups read from the directory, and this deployment signs people in without one",
        );
      }
      const found = await directory.findById(person.id);
      return found ? [...found.groups] : null;
    },
  };
}
