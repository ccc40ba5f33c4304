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
    async routesOf(groups) {
      return new Map(
        groups.map((group) => {
          const routes = file.users.flatMap((user) => {
            const matched = user.groups.find((name) => groupMatches(group, [name]));
            if (matched === undefined) return [];
            const { id, displayName } = embeddedPerson(file, user);
            return [{ id, displayName, enabled: true, groupDn: matched, chain: [] }];
          });
          // The file names groups only through their users: a group nobody is in is unknown to it.
          return [group, routes.length > 0 ? routes : undefined];
        }),
      );
    },
  };
}
