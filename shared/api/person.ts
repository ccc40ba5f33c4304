/**
 * A person: who signed in. The API answers with one (`user`), the access token carries one, and the console
 * session is named after one. The directory and the user pool give a `Person` too, with every group they
 * know of; before a session begins the API keeps only the groups some assignment names
 * (backend/api/session-answer.ts), so a token stays small however many groups a person is in.
 */
import { z } from 'zod';

export const PersonSchema = z.object({
  /** Stable and readable: the directory's user principal name, or the user pool's `sub`. */
  id: z.string(),
  displayName: z.string(),
  /** Group names or DNs, as the directory or the user pool writes them (shared/policy/group-names.ts matches them). */
  groups: z.array(z.string()),
});
export type Person = z.infer<typeof PersonSchema>;
