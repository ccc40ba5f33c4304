/**
 * A throwaway Active Directory domain: a Samba AD DC on a loopback address of its own, for the
 * directory tests and `npm start -- --directory samba`. Simple AD is Samba, so this is the real thing
 * the LDAP directory talks to, not a stand-in.
 *
 * Provisioning a domain takes several seconds, so it happens once: the provisioned and seeded domain
 * is kept as a template in the temp folder (keyed by the Samba version and the seed), and each
 * instance is a copy of it. Each instance:
 *   - listens on its own address in 127/8 ("interfaces = 127.0.0.<n>/8", "bind interfaces only"), so
 *     several can run at once on 389 and 636 (Samba cannot move its LDAP ports);
 *   - keeps every path (pid, ncalrpc, logs, private, lock, state, cache) inside its folder;
 *   - serves LDAPS and StartTLS with a certificate for that address from a test CA made for it
 *     (openssl), so clients verify it against a CA bundle as they would in production;
 *   - allows simple binds over plain LDAP too ("ldap server require strong auth = no"; Samba's own
 *     default refuses them), so the explicitly allowed plain path can be tested;
 *   - is stopped by the PID of the process group it was started in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Attribute, Change, Client } from 'ldapts';
import { DEMO_USERS } from './demo/users.ts';

export interface SambaBinaries {
  samba: string;
  sambaTool: string;
  openssl: string;
}

/** Where Debian puts them; suites pass `binaryPath(...)` from scripts/prerequisites (the same places). */
export const DEFAULT_SAMBA_BINARIES: SambaBinaries = { samba: '/usr/sbin/samba', sambaTool: '/usr/bin/samba-tool', openssl: 'openssl' };

export const DOMAIN = {
  realm: 'CORP.EXAMPLE.COM',
  dnsName: 'corp.example.com',
  netbios: 'CORP',
  baseDn: 'DC=corp,DC=example,DC=com',
  peopleDn: 'OU=People,DC=corp,DC=example,DC=com',
  groupsDn: 'OU=Groups,DC=corp,DC=example,DC=com',
} as const;

/** Test-only domain credentials (the domain lives for one test run on a loopback address). */
const ADMIN_PASSWORD = 'Switchyard-Admin-1!';
export const SERVICE_ACCOUNT = { username: 'svc-switchyard', password: 'Switchyard-Service-1!' };

export interface SeedGroup {
  /** The group's CN: may hold commas, parentheses, stars. */
  name: string;
  /** Groups this group is a member of (nesting). */
  memberOf?: string[];
}

export interface SeedPerson {
  username: string;
  password: string;
  displayName: string;
  /** Groups the person is a direct member of. */
  groups: string[];
  /** The entry's CN (default: the display name). */
  cn?: string;
  /** An explicit UPN (default: username@corp.example.com); null for none. */
  upn?: string | null;
  disabled?: boolean;
}

export interface DirectorySeed {
  groups: SeedGroup[];
  people: SeedPerson[];
}

/**
 * The demo people of backend/local/demo (alice, bob, carol, same passwords), with one nesting so the
 * in-chain rule matters: alice is a direct member of Platform-Admins only, and Platform-Admins is a
 * member of Developers, so alice is in Developers through it, as the embedded directory lists her.
 */
export const DEMO_SEED: DirectorySeed = {
  groups: [{ name: 'Developers' }, { name: 'Platform-Admins', memberOf: ['Developers'] }, { name: 'Auditors' }],
  people: DEMO_USERS.map((user) => ({
    username: user.username,
    password: user.password,
    displayName: { alice: 'Alice Admin', bob: 'Bob Auditor', carol: 'Carol Contractor' }[user.username] ?? user.username,
    groups: user.groups.filter((group) => group !== 'Developers'),
  })),
};

export interface SambaDomain {
  /** The loopback address it listens on. */
  host: string;
  ldapsUrl: string;
  ldapUrl: string;
  /** PEM file of the test CA that issued the server certificate. */
  caFile: string;
  admin: { bindName: string; password: string };
  service: { bindName: string; password: string };
  /** Adds groups and people (over LDAPS, as the administrator). */
  seed(seed: DirectorySeed): Promise<void>;
  /** A client bound as the administrator, for changes during a test; unbind it when done. */
  adminClient(): Promise<Client>;
  /** The folder holding everything of this instance. */
  dir: string;
  stop(): Promise<void>;
}

export interface StartSambaOptions {
  binaries?: SambaBinaries;
  /** Extra people and groups for this instance, on top of the demo seed. */
  seed?: DirectorySeed;
  /** Where output goes while starting (default: nowhere). */
  progress?: (line: string) => void;
}

const TEMPLATE_FORMAT = 4;

export async function startSambaDomain(options: StartSambaOptions = {}): Promise<SambaDomain> {
  const binaries = options.binaries ?? DEFAULT_SAMBA_BINARIES;
  for (const [name, path] of Object.entries(binaries)) {
    if (path.includes('/') && !existsSync(path)) {
      throw new Error(`${name} not found at ${path}: install Samba's AD DC (see "What npm test needs" in README.md, or run npm run prereqs)`);
    }
  }
  const template = await domainTemplate(binaries, options.progress);
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-samba-'));
  try {
    await cp(template, dir, { recursive: true });
    const host = await freeLoopbackAddress();
    const caFile = await issueCertificates(binaries.openssl, join(dir, 'test-tls'), host);
    await writeConfig(dir, await originalRoot(dir), host, join(dir, 'test-tls'));
    const samba = await startSamba(binaries.samba, dir, host, caFile);
    const domain = instance(dir, host, caFile, samba);
    if (options.seed) await domain.seed(options.seed);
    return domain;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function instance(dir: string, host: string, caFile: string, samba: RunningSamba): SambaDomain {
  const admin = { bindName: `Administrator@${DOMAIN.dnsName}`, password: ADMIN_PASSWORD };
  const ldapsUrl = `ldaps://${host}:636`;
  const adminClient = async () => {
    const client = new Client({ url: ldapsUrl, timeout: 10_000, connectTimeout: 10_000, tlsOptions: { ca: await readFile(caFile, 'utf8') } });
    await client.bind(admin.bindName, admin.password);
    return client;
  };
  return {
    host,
    ldapsUrl,
    ldapUrl: `ldap://${host}:389`,
    caFile,
    admin,
    service: { bindName: `${SERVICE_ACCOUNT.username}@${DOMAIN.dnsName}`, password: SERVICE_ACCOUNT.password },
    dir,
    adminClient,
    async seed(seed) {
      const client = await adminClient();
      try {
        await addSeed(client, seed);
      } finally {
        await client.unbind();
      }
    },
    async stop() {
      await samba.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// --- the template: provisioned once, seeded with the demo people ---

async function domainTemplate(binaries: SambaBinaries, progress?: (line: string) => void): Promise<string> {
  const version = (await run(binaries.samba, ['--version'])).trim();
  const key = createHash('sha256')
    .update(JSON.stringify({ TEMPLATE_FORMAT, version, DEMO_SEED, SERVICE_ACCOUNT, ADMIN_PASSWORD }))
    .digest('hex')
    .slice(0, 16);
  const template = join(tmpdir(), `switchyard-samba-template-${key}`);
  if (existsSync(join(template, 'ready'))) return template;

  progress?.('Provisioning a throwaway Samba AD domain (once; later runs reuse it)...');
  const build = await mkdtemp(join(tmpdir(), 'switchyard-samba-build-'));
  try {
    await run(binaries.sambaTool, [
      'domain',
      'provision',
      `--targetdir=${build}`,
      `--realm=${DOMAIN.realm}`,
      `--domain=${DOMAIN.netbios}`,
      '--host-name=DC1',
      `--adminpass=${ADMIN_PASSWORD}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--option=server services = ldap',
      ...pathOptions(build).map((option) => `--option=${option}`),
      '--quiet',
    ]);
    // The demo passwords are not "complex"; this domain exists for a test run on loopback.
    const sam = join(build, 'private', 'sam.ldb');
    await run(binaries.sambaTool, ['domain', 'passwordsettings', 'set', '--complexity=off', '--min-pwd-age=0', '--history-length=0', '-H', sam]);
    const host = await freeLoopbackAddress();
    const caFile = await issueCertificates(binaries.openssl, join(build, 'test-tls'), host);
    await writeConfig(build, build, host, join(build, 'test-tls'));
    const samba = await startSamba(binaries.samba, build, host, caFile);
    try {
      const seeding = instance(build, host, caFile, samba);
      await seeding.seed({
        groups: DEMO_SEED.groups,
        people: [
          ...DEMO_SEED.people,
          { username: SERVICE_ACCOUNT.username, password: SERVICE_ACCOUNT.password, displayName: 'Switchyard service', groups: [] },
        ],
      });
    } finally {
      await samba.stop();
    }
    await removeSockets(build);
    await writeFile(join(build, 'ready'), `${version}\n`);
    await rename(build, template).catch(async () => {
      // Another run built the same template first: use theirs.
      await rm(build, { recursive: true, force: true });
    });
    return template;
  } catch (error) {
    await rm(build, { recursive: true, force: true });
    throw error;
  }
}

/** Sockets a stopped Samba leaves behind (ldapi) cannot be copied; each instance makes its own. */
async function removeSockets(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isSocket()) await rm(join(entry.parentPath, entry.name), { force: true });
  }
}

/** Every path Samba writes, inside `root`. */
function pathOptions(root: string): string[] {
  return [
    `pid directory = ${root}/run`,
    `ncalrpc dir = ${root}/ncalrpc`,
    `log file = ${root}/log.%m`,
    `winbindd socket directory = ${root}/winbindd`,
    `lock directory = ${root}/lock`,
    `state directory = ${root}/state`,
    `cache directory = ${root}/cache`,
    `private dir = ${root}/private`,
    `binddns dir = ${root}/bind-dns`,
  ];
}

async function originalRoot(dir: string): Promise<string> {
  const config = await readFile(join(dir, 'etc', 'smb.conf'), 'utf8');
  const match = config.match(/^\s*private dir = (.+)\/private$/m);
  if (!match?.[1]) throw new Error(`${dir}/etc/smb.conf names no private dir`);
  return match[1];
}

/** smb.conf with every path moved to `dir`, the address, TLS with the test certificate, plain binds allowed. */
async function writeConfig(dir: string, oldRoot: string, host: string, tlsDir: string): Promise<void> {
  const file = join(dir, 'etc', 'smb.conf');
  const original = await readFile(file, 'utf8');
  const global = [
    `interfaces = ${host}/8`,
    'bind interfaces only = yes',
    'tls enabled = yes',
    `tls keyfile = ${tlsDir}/server.key`,
    `tls certfile = ${tlsDir}/server.pem`,
    `tls cafile = ${tlsDir}/ca.pem`,
    'ldap server require strong auth = no',
  ];
  const moved = original
    .split(oldRoot)
    .join(dir)
    .split('\n')
    .filter((line) => !/^\s*(interfaces|bind interfaces only|tls [a-z]+|ldap server require strong auth)\s*=/.test(line))
    .join('\n')
    .replace(/^\[global\]$/m, `[global]\n${global.map((line) => `\t${line}`).join('\n')}`);
  await writeFile(file, moved);
  for (const folder of ['run', 'ncalrpc', 'winbindd', 'lock', 'state', 'cache']) await mkdir(join(dir, folder), { recursive: true });
  await rm(join(dir, 'run', 'samba.pid'), { force: true });
}

// --- certificates ---

/** A test CA and a server certificate for `host` (IP SAN) and dc1.<domain>; returns the CA's PEM file. */
async function issueCertificates(openssl: string, tlsDir: string, host: string): Promise<string> {
  await mkdir(tlsDir, { recursive: true });
  const file = (name: string) => join(tlsDir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run(openssl, ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '7', '-subj', '/CN=Switchyard test CA']);
  await run(openssl, ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=dc1.${DOMAIN.dnsName}`]);
  await writeFile(
    file('server.ext'),
    `subjectAltName=IP:${host},DNS:dc1.${DOMAIN.dnsName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '7',
    '-extfile',
    file('server.ext'),
  ]);
  return file('ca.pem');
}

// --- running it ---

interface RunningSamba {
  stop(): Promise<void>;
}

async function startSamba(samba: string, dir: string, host: string, caFile: string): Promise<RunningSamba> {
  const log = createWriteStream(join(dir, 'samba.out'));
  const child = spawn(samba, ['-s', join(dir, 'etc', 'smb.conf'), '-i', '-M', 'single'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const ca = await readFile(caFile, 'utf8');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await tlsAnswers(host, ca)) return { stop };
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await stop();
  const tail = (await readFile(join(dir, 'samba.out'), 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
  throw new Error(`samba did not serve LDAPS on ${host}:636 within 30 s (binding ports below 1024 needs root). Its output:\n${tail}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function tlsAnswers(host: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port: 636, ca, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** An address in 127/8 where nothing listens on 389 or 636 (other Samba instances may run at once). */
async function freeLoopbackAddress(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const host = `127.0.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 253) + 2}`;
    if ((await canListen(host, 389)) && (await canListen(host, 636))) return host;
  }
  throw new Error('found no free loopback address for Samba in 50 tries');
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${output.slice(-2000)}`)),
    );
  });
}

// --- seeding ---

/** The DN of a group or person CN in this domain, with the CN escaped as RFC 4514 requires. */
export function groupDn(name: string): string {
  return `CN=${escapeRdnValue(name)},${DOMAIN.groupsDn}`;
}

export function personDn(person: Pick<SeedPerson, 'cn' | 'displayName'>): string {
  return `CN=${escapeRdnValue(person.cn ?? person.displayName)},${DOMAIN.peopleDn}`;
}

function escapeRdnValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (char) => `\\${char}`).replace(/^[ #]|[ ]$/g, (char) => `\\${char}`);
}

async function addSeed(client: Client, seed: DirectorySeed): Promise<void> {
  for (const ou of [DOMAIN.peopleDn, DOMAIN.groupsDn]) {
    await client.add(ou, { objectClass: 'organizationalUnit' }).catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'AlreadyExistsError')) throw error;
    });
  }
  for (const group of seed.groups) await client.add(groupDn(group.name), { objectClass: 'group', sAMAccountName: samOfGroup(group.name) });
  for (const person of seed.people) {
    const attributes: Record<string, string> = {
      objectClass: 'user',
      sAMAccountName: person.username,
      displayName: person.displayName,
      userAccountControl: person.disabled ? '514' : '512',
      ...(person.upn === null ? {} : { userPrincipalName: person.upn ?? `${person.username}@${DOMAIN.dnsName}` }),
    };
    await client.add(personDn(person), [
      ...Object.entries(attributes).map(([type, value]) => new Attribute({ type, values: [value] })),
      // AD sets a password through unicodePwd: the quoted password in UTF-16LE, over an encrypted connection.
      new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${person.password}"`, 'utf16le')] }),
    ]);
  }
  for (const group of seed.groups) {
    for (const parent of group.memberOf ?? []) await addMember(client, groupDn(parent), groupDn(group.name));
  }
  for (const person of seed.people) for (const group of person.groups) await addMember(client, groupDn(group), personDn(person));
}

export async function addMember(client: Client, group: string, member: string): Promise<void> {
  await client.modify(group, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [member] }) }));
}

export async function removeMember(client: Client, group: string, member: string): Promise<void> {
  await client.modify(group, new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [member] }) }));
}

/** A group's sAMAccountName: its name without the characters AD does not allow there. */
function samOfGroup(name: string): string {
  return name.replace(/["/\\[\]:;|=,+*?<>]/g, '_').slice(0, 64);
}
