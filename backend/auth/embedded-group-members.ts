/** Group members from the embedded directory file (`npm start`, tests): every user whose groups an assignment's group matches. */
import { groupMatches } from '../../shared/policy/group-names.ts';
import { embeddedPerson, type EmbeddedDirectoryFile } from './embedded-directory.ts';
import type { GroupMembers } from './group-members.ts';

export function embeddedGroupMembers(file: EmbeddedDirectoryFile, source = 'the embedded directory file'): GroupMembers {
  return {
    source,
    async membersOf(groups) {
      return new Map(
        groups.map((group) => [
          group,
          file.users
            .filter((user) => groupMatches(group, user.groups))
            .map((user) => {
              const { id, displayName } = embeddedPerson(file, user);
              return { id, displayName };
            }),
        ]),
      );
    },
  };
}
