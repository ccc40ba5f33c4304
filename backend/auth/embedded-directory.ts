/**
 * The embedded directory behind `npm start`: a JSON file of users with salted password hashes and
 * groups. Production uses LDAP or Cognito instead; this one needs no server.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { accountNameOf, type Directory, type DirectoryUser } from './directory.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const EmbeddedDirectoryFileSchema = z.strictObject({
  domain: z.string().min(1),
  users: z.array(
    z.strictObject({
      username: z.string().regex(/^[a-z0-9._-]+$/, 'usernames are lower-case sAMAccountName-style'),
      displayName: z.string().min(1),
      passwordHash: z.string().startsWith('scrypt$'),
      groups: z.array(z.string().min(1)),
    }),
  ),
});
export type EmbeddedDirectoryFile = z.infer<typeof EmbeddedDirectoryFileSchema>;

export class EmbeddedDirectory implements Directory {
  readonly #file: EmbeddedDirectoryFile;
  /** Compared against when the user does not exist, so both paths cost one scrypt. */
  readonly #decoyHash: Promise<string>;

  constructor(file: EmbeddedDirectoryFile) {
    this.#file = file;
    this.#decoyHash = hashPassword('decoy');
  }

  static async fromFile(path: string): Promise<EmbeddedDirectory> {
    const raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
    const parsed = EmbeddedDirectoryFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    return new EmbeddedDirectory(parsed.data);
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | null> {
    if (password.length === 0) return null;
    const name = accountNameOf(username);
    const user = this.#file.users.find((candidate) => candidate.username === name);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.#decoyHash));
    if (!user || !matches) return null;
    return { id: `${user.username}@${this.#file.domain}`, displayName: user.displayName, groups: [...user.groups] };
  }
}
