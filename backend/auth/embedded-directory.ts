/**
 * The embedded directory behind `npm start`: a JSON file of users with salted password hashes and
 * groups. Production uses LDAP or Cognito instead; this one needs no server.
 */
import { createHash } from 'node:crypto';
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
      /** The person's own id, never given to another person (as AD's objectGUID): what a session is bound to. */
      id: z.string().uuid('id must be a UUID that stays with this person'),
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
    return new EmbeddedDirectory(await readEmbeddedDirectoryFile(path));
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

  async resolve(username: string): Promise<string | null> {
    const logon = parseLogonName(username, this.#rules);
    return (logon && this.#find(logon.key)?.id) ?? null;
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
    return embeddedPerson(this.#file, user);
  }
}

/** The directory file, checked; the error names the file and the field. */
export async function readEmbeddedDirectoryFile(path: string): Promise<EmbeddedDirectoryFile> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  const parsed = EmbeddedDirectoryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A user of the file as sign-in gives them (and as the group members port lists them). */
export function embeddedPerson(file: EmbeddedDirectoryFile, user: EmbeddedDirectoryFile['users'][number]): DirectoryPerson {
  return {
    id: `${user.username}@${file.domain}`,
    accountName: user.username,
    directoryId: user.id,
    displayName: user.displayName,
    groups: [...user.groups],
    // A new hash in the file is a new password: it ends the sessions begun with the old one.
    standing: { passwordVersion: passwordVersionOf(user.passwordHash), mustChangePassword: false, passwordExpired: false, lockedOut: false },
  };
}

/** A digest of the salted hash: changes with the password, and says nothing about it. */
function passwordVersionOf(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}
