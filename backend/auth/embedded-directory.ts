/**
 * The embedded directory behind `npm start`: a JSON file of users with salted password hashes and
 * groups. Production uses LDAP or Cognito instead; this one needs no server.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Directory, DirectoryPerson } from './directory.ts';
import { parseLogonName, type LogonNameRules } from './logon-name.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const EmbeddedDirectoryFileSchema = z.strictObject({
  /** The domain's DNS name: the UPN suffix people may type ("alice@corp.example.com"). */
  domain: z.string().min(1),
  /** The NetBIOS domain for down-level names ("CORP\alice"); default: the first label of `domain`, upper case. */
  netbiosDomain: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,15}$/)
    .optional(),
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
  readonly #rules: LogonNameRules;
  /** Compared against when the user does not exist, so every refusal costs one scrypt. */
  readonly #decoyHash: Promise<string>;

  constructor(file: EmbeddedDirectoryFile) {
    this.#file = file;
    this.#rules = {
      upnSuffixes: [file.domain],
      netbiosDomain: file.netbiosDomain ?? file.domain.split('.')[0]?.toUpperCase() ?? '',
    };
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

  async authenticate(username: string, password: string): Promise<DirectoryPerson | null> {
    // An empty password is refused before anything else, as an LDAP bind must never see one.
    if (password.length === 0) return null;
    const logon = parseLogonName(username, this.#rules);
    const user = logon ? this.#find(logon.key) : undefined;
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.#decoyHash));
    if (!user || !matches) return null;
    return this.#person(user);
  }

  async lookup(accountName: string): Promise<DirectoryPerson | null> {
    const user = this.#find(accountName.toLowerCase());
    return user ? this.#person(user) : null;
  }

  async findById(id: string): Promise<DirectoryPerson | null> {
    const [name, domain] = id.toLowerCase().split('@');
    const user = domain === this.#file.domain.toLowerCase() && name ? this.#find(name) : undefined;
    return user ? this.#person(user) : null;
  }

  #find(key: string): EmbeddedDirectoryFile['users'][number] | undefined {
    return this.#file.users.find((candidate) => candidate.username === key);
  }

  #person(user: EmbeddedDirectoryFile['users'][number]): DirectoryPerson {
    return { id: `${user.username}@${this.#file.domain}`, accountName: user.username, displayName: user.displayName, groups: [...user.groups] };
  }
}
