/**
 * The prerequisites check as logic over a `System` (what this machine is and has). The real System is in
 * ./system.ts; tests pass a fake one, so every platform's message can be checked on any machine.
 */
import type { Fix, Locator, Need, Part, VersionProbe } from './parts.ts';

/** What the check may ask of the machine. Everything else here is pure. */
export interface System {
  platform: NodeJS.Platform;
  /** undefined where there are no uids (Windows) */
  uid: number | undefined;
  /** The text of /etc/os-release, when there is one. */
  osRelease: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** process.version, e.g. 'v20.20.2' */
  nodeVersion: string;
  /** A file (or a symlink to one) is there. */
  exists(path: string): boolean;
  /** A regular file we may execute is there (PATH lookup). */
  isExecutable(path: string): boolean;
  /** The first line of a file, for shebangs; undefined when unreadable. */
  firstLine(path: string): string | undefined;
  /** Runs a command without a shell; `output` is stdout then stderr. Never throws. */
  run(command: string, args: readonly string[], timeoutMs: number): Promise<{ ok: boolean; output: string }>;
}

export type OsKind = 'debian' | 'ubuntu' | 'macos' | 'other';

export interface Platform {
  os: OsKind;
  /** e.g. 'Debian GNU/Linux 12 (bookworm)' */
  label: string;
  root: boolean;
}

export function detectPlatform(system: Pick<System, 'platform' | 'uid' | 'osRelease'>): Platform {
  const root = system.uid === 0;
  if (system.platform === 'darwin') return { os: 'macos', label: 'macOS', root };
  if (system.platform !== 'linux') return { os: 'other', label: system.platform, root };
  const fields = parseOsRelease(system.osRelease ?? '');
  const ids = [fields.ID ?? '', ...(fields.ID_LIKE ?? '').split(/\s+/)].filter(Boolean);
  const label = fields.PRETTY_NAME ?? fields.NAME ?? 'Linux';
  // Ubuntu first: its derivatives say ID_LIKE="ubuntu debian" and have Ubuntu's packages
  if (ids.includes('ubuntu')) return { os: 'ubuntu', label, root };
  if (ids.includes('debian')) return { os: 'debian', label, root };
  return { os: 'other', label, root };
}

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    fields[match[1]!] = match[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return fields;
}

/** Why a part counts as missing. */
export type Lack =
  | { kind: 'command'; command: string }
  | { kind: 'file'; path: string }
  /** The part's environment override names a path where there is nothing. */
  | { kind: 'env'; env: string; path: string }
  | { kind: 'too-old'; have: string; minimum: string };

export interface PartResult {
  part: Part;
  ok: boolean;
  /** Empty when ok. */
  lacks: Lack[];
  /** Where each locator was found (absolute paths; 'node' for the running Node.js). */
  found: string[];
  /** As read from the part, when found and readable. */
  version?: string;
}

export interface Report {
  need: Need;
  platform: Platform;
  results: PartResult[];
  /** pipx is on PATH (the fix for Python tools needs it). */
  pipx: boolean;
}

export const NEED_COMMAND: Record<Need, string> = { start: 'npm start', test: 'npm test' };

export function partsFor(parts: readonly Part[], need: Need): Part[] {
  return parts.filter((part) => part.neededBy.includes(need));
}

/** Finds a command on PATH like `command -v`. */
export function which(command: string, system: Pick<System, 'env' | 'isExecutable' | 'platform'>): string | undefined {
  const separator = system.platform === 'win32' ? ';' : ':';
  for (const dir of (system.env.PATH ?? '').split(separator)) {
    if (!dir) continue;
    const candidate = `${dir.replace(/\/+$/, '')}/${command}`;
    if (system.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The path a locator points at here (its environment override first), or the command name. */
export function locatorPath(locator: Locator, env: System['env']): string {
  if ('node' in locator) return 'node';
  if ('command' in locator) return locator.command;
  return (locator.env && env[locator.env]) || locator.file;
}

function locate(locator: Locator, system: System): { found: string } | { lack: Lack } {
  if ('node' in locator) return { found: 'node' };
  if ('command' in locator) {
    const path = which(locator.command, system);
    return path ? { found: path } : { lack: { kind: 'command', command: locator.command } };
  }
  const override = locator.env ? system.env[locator.env] : undefined;
  if (override) {
    return system.exists(override) ? { found: override } : { lack: { kind: 'env', env: locator.env!, path: override } };
  }
  return system.exists(locator.file) ? { found: locator.file } : { lack: { kind: 'file', path: locator.file } };
}

/** Looks for each part (cheap file checks), then reads the versions of those found, all at once. */
export async function inspect(parts: readonly Part[], system: System): Promise<PartResult[]> {
  return Promise.all(
    parts.map(async (part): Promise<PartResult> => {
      const found: string[] = [];
      const lacks: Lack[] = [];
      for (const locator of part.find) {
        const where = locate(locator, system);
        if ('found' in where) found.push(where.found);
        else lacks.push(where.lack);
      }
      if (lacks.length > 0) return { part, ok: false, lacks, found };
      const version = part.version ? await readVersion(part.version, found[0]!, system) : undefined;
      if (part.minimum && version && compareVersions(version, part.minimum) < 0) {
        return { part, ok: false, lacks: [{ kind: 'too-old', have: version, minimum: part.minimum }], found, version };
      }
      return { part, ok: true, lacks, found, ...(version ? { version } : {}) };
    }),
  );
}

const VERSION_TIMEOUT_MS = 10_000;

async function readVersion(probe: VersionProbe, binary: string, system: System): Promise<string | undefined> {
  if ('node' in probe) return system.nodeVersion.replace(/^v/, '');
  if ('pythonDistribution' in probe) {
    const python = pythonOf(system.firstLine(binary));
    const code = `import importlib.metadata as m; print(m.version(${JSON.stringify(probe.pythonDistribution)}))`;
    const { ok, output } = await system.run(python, ['-c', code], VERSION_TIMEOUT_MS);
    const version = output.trim().split('\n')[0];
    return ok && version && /^\d/.test(version) ? version : undefined;
  }
  const { output } = await system.run(binary, probe.args, VERSION_TIMEOUT_MS);
  return probe.match.exec(output)?.[1];
}

/** The interpreter a Python console script runs with, from its shebang; python3 for anything else (pyenv shims). */
export function pythonOf(shebang: string | undefined): string {
  const [program, ...rest] = shebang?.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/) : [];
  if (program && /(^|\/)python[\d.]*$/.test(program)) return program;
  const interpreter = program && /(^|\/)env$/.test(program) ? rest.find((word) => !word.startsWith('-')) : undefined;
  return interpreter && /^python[\d.]*$/.test(interpreter) ? interpreter : 'python3';
}

/** Compares dotted versions numerically ('153.8.0esr' reads as 153.8.0); missing fields count as 0. */
export function compareVersions(a: string, b: string): number {
  const numbers = (version: string) => version.split('.').map((field) => Number.parseInt(field, 10) || 0);
  const [left, right] = [numbers(a), numbers(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

export function major(version: string): number {
  return Number.parseInt(version, 10);
}

/** Parts found with another major version than the one they were tested with: a warning, not a failure. */
export function versionWarnings(results: readonly PartResult[]): string[] {
  return results
    .filter((result) => result.ok && result.version && major(result.version) !== major(result.part.tested))
    .map(
      (result) =>
        `warning: ${result.part.name} ${result.version} here; the suites were run with ${result.part.tested}. ` +
        'If a suite that uses it fails, try that version.',
    );
}

export function fixFor(part: Part, os: OsKind): Fix {
  if (os === 'ubuntu') return part.install.ubuntu ?? part.install.debian;
  if (os === 'debian') return part.install.debian;
  return part.install[os];
}

/** The Debian packages `--install` would install: those of missing parts whose fix here is apt. */
export function aptPlan(report: Report): { parts: Part[]; packages: string[] } {
  if (report.platform.os !== 'debian' && report.platform.os !== 'ubuntu') return { parts: [], packages: [] };
  const parts: Part[] = [];
  const packages: string[] = [];
  for (const result of report.results) {
    if (result.ok) continue;
    // a wrong CHROMIUM_PATH is not fixed by installing Chromium where it does not look
    if (result.lacks.some((lack) => lack.kind === 'env' || lack.kind === 'too-old')) continue;
    const fix = fixFor(result.part, report.platform.os);
    if (!('apt' in fix)) continue;
    parts.push(result.part);
    for (const name of fix.apt) if (!packages.includes(name)) packages.push(name);
  }
  return { parts, packages };
}

export function aptCommand(packages: readonly string[], root: boolean): string {
  const sudo = root ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
}

/** Why a part is missing, in one line: 'no /usr/sbin/samba, /usr/sbin/winbindd; ldapsearch not on PATH'. */
export function describeLacks(lacks: readonly Lack[]): string {
  const files = lacks.flatMap((lack) => (lack.kind === 'file' ? [lack.path] : []));
  const commands = lacks.flatMap((lack) => (lack.kind === 'command' ? [lack.command] : []));
  const phrases: string[] = [];
  if (files.length > 0) phrases.push(`no ${files.join(', ')}`);
  if (commands.length > 0) phrases.push(`${commands.join(', ')} not on PATH`);
  for (const lack of lacks) {
    if (lack.kind === 'env') phrases.push(`${lack.env}=${lack.path}, but there is nothing there`);
    if (lack.kind === 'too-old') phrases.push(`${lack.have} here, older than the ${lack.minimum} it needs`);
  }
  return phrases.join('; ');
}

/** pipx itself, where a Python tool's fix needs it and it is not on PATH: apt packages, or a command. */
const PIPX_SETUP: Record<OsKind, { apt: string } | { command: string }> = {
  debian: { apt: 'pipx' },
  ubuntu: { apt: 'pipx' },
  macos: { command: 'brew install pipx' },
  other: { command: 'python3 -m pip install --user pipx' },
};

/** A fix's command as this user types it: `sudo` before each step that needs root, unless root. */
export function asUser(fix: { command: string; root?: boolean }, platform: Platform): string {
  if (!fix.root || platform.root) return fix.command;
  return fix.command
    .split(' && ')
    .map((step) => `sudo ${step}`)
    .join(' && ');
}

/** The commands (and notes for what has none) that install every missing part on this platform. */
export function fixCommands(report: Report): { commands: string[]; notes: string[] } {
  const { platform } = report;
  const missing = report.results.filter((result) => !result.ok);
  const apt = aptPlan(report);
  const aptPackages = [...apt.packages];
  const commands: string[] = [];
  const notes: string[] = [];
  let pipxNeeded = false;
  for (const result of missing) {
    const { part } = result;
    const envLack = result.lacks.find((lack) => lack.kind === 'env');
    if (envLack) {
      commands.push(`unset ${envLack.env}   # or point it at ${part.name}'s binary`);
      continue;
    }
    if (apt.parts.includes(part)) continue;
    const fix = fixFor(part, platform.os);
    if ('apt' in fix) {
      // only a too-old part gets here, and no part with an apt fix has a minimum yet
      notes.push(`${part.name}: install a newer ${fix.apt.join(' ')}.`);
    } else if ('unavailable' in fix) {
      notes.push(`${part.name}: ${fix.unavailable}.`);
    } else {
      if (/^pipx /.test(fix.command)) pipxNeeded = true;
      commands.push(fix.note ? `${asUser(fix, platform)}   # ${fix.note}` : asUser(fix, platform));
      if (fix.then) commands.push(fix.then);
    }
  }
  const pipxSetup = pipxNeeded && !report.pipx ? PIPX_SETUP[platform.os] : undefined;
  if (pipxSetup && 'apt' in pipxSetup) aptPackages.push(pipxSetup.apt);
  if (pipxSetup && 'command' in pipxSetup) commands.unshift(pipxSetup.command);
  if (pipxSetup) commands.push("pipx ensurepath   # puts pipx's commands on PATH; then open a new shell");
  if (aptPackages.length > 0) commands.unshift(aptCommand(aptPackages, platform.root));
  return { commands, notes };
}

/**
 * The one message for a machine that lacks parts: every missing part, why, and the exact commands for this
 * platform. Empty when nothing is missing.
 */
export function missingMessage(report: Report): string {
  const missing = report.results.filter((result) => !result.ok);
  if (missing.length === 0) return '';
  const { platform } = report;
  const command = NEED_COMMAND[report.need];
  const count = missing.length === 1 ? '1 part is' : `${missing.length} parts are`;
  const lines = [`${command} cannot run: ${count} missing on this machine (${platform.label}, ${platform.root ? 'root' : 'not root'}).`, ''];
  const width = Math.max(...missing.map((result) => result.part.name.length));
  for (const result of missing) {
    const { part } = result;
    lines.push(`  ${part.name.padEnd(width)}  ${part.purpose} (${part.suites.join(', ')})`);
    lines.push(`  ${''.padEnd(width)}  ${describeLacks(result.lacks)}`);
  }
  const { commands, notes } = fixCommands(report);
  if (commands.length > 0) lines.push('', 'To fix:', '', ...commands.map((line) => `  ${line}`));
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('', `Then run ${command} again. Nothing else has run.`);
  return lines.join('\n');
}

/** One line for a machine that has everything. */
export function presentLine(report: Report, seconds: number): string {
  const parts = report.results.map((result) => `${result.part.name} ${result.version ?? '(version unknown)'}`);
  return `Prerequisites for ${NEED_COMMAND[report.need]}: all ${parts.length} present (${parts.join(', ')}; ${seconds.toFixed(1)} s).`;
}

/** Looks for every part `need` needs (and for pipx, which the Python tools' fix uses). */
export async function buildReport(parts: readonly Part[], need: Need, system: System, platform: Platform = detectPlatform(system)): Promise<Report> {
  const results = await inspect(partsFor(parts, need), system);
  return { need, platform, results, pipx: which('pipx', system) !== undefined };
}
