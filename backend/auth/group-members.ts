/**
 * The members of groups, as assignments name them: what `switchyard policy plan --people` asks the
 * directory to turn who-gains-access from groups into people (and what an access review asks). A
 * group named as a DN is that group; a plain name is every group of that name (policy/group-names.ts),
 * as at sign-in. Members are the people who can sign in through the group: nested groups count where
 * the directory nests them (LDAP `ad-nested`), disabled accounts do not.
 *
 * Adapters: embedded-group-members.ts (the directory file), ldap/ldap-group-members.ts (LDAP, with the
 * read-only service account), cognito-group-members.ts (a Cognito user pool's groups).
 */
import type { GroupMember } from '../../shared/plan/people-changes.ts';

export type { GroupMember } from '../../shared/plan/people-changes.ts';

export interface GroupMembers {
  /** Where the members come from, for messages ("the directory file ...", "LDAP", "the user pool ..."). */
  readonly source: string;
  /** Each group asked for -> its members (none: an empty list). Throws `DirectoryUnavailable` when the source cannot answer. */
  membersOf(groups: readonly string[]): Promise<Map<string, GroupMember[]>>;
}

/** Several sources as one (a directory and a user pool): each group's members from all of them, each person once. */
export function combinedGroupMembers(sources: readonly GroupMembers[]): GroupMembers {
  return {
    source: sources.map((source) => source.source).join(' and '),
    async membersOf(groups) {
      const combined = new Map<string, GroupMember[]>(groups.map((group) => [group, []]));
      for (const source of sources) {
        for (const [group, members] of await source.membersOf(groups)) {
          const list = combined.get(group) ?? [];
          for (const member of members) if (!list.some((known) => known.id === member.id)) list.push(member);
          combined.set(group, list);
        }
      }
      return combined;
    },
  };
}
