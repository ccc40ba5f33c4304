/**
 * The prerequisites check, as `npm test` runs it first (`npm run prereqs` runs it alone):
 *
 *   tsx scripts/prerequisites/main.ts [--for test|start] [--install [--dry-run]] [--as PLATFORM]
 *
 * --for      which command's parts to check (default test; `npm start` checks in-process, see ./index.ts)
 * --install  as root on Debian or Ubuntu: `apt-get update`, then `apt-get install -y` exactly the Debian
 *            packages of the missing parts, and say what was installed. Elsewhere it changes nothing.
 * --dry-run  with --install: print the apt-get commands instead of running them.
 * --as       print the message as on another platform (debian-root, debian-user, ubuntu-root, ubuntu-user,
 *            macos, other), for docs and for trying the message out; implies --dry-run.
 *
 * SWITCHYARD_PREREQS_SYSROOT=DIR (with a PATH that lacks the commands) tries it as on a fresh machine: see ./system.ts.
 *
 * Exit 0 when every part is there (a one-line summary, plus warnings for other major versions than tested);
 * exit 1 with one message naming every missing part and the commands for this platform; exit 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { aptInstall } from './apt.ts';
import { aptCommand, aptPlan, buildReport, detectPlatform, missingMessage, presentLine, versionWarnings } from './check.ts';
import type { OsKind, Platform } from './check.ts';
import { PARTS } from './parts.ts';
import type { Need } from './parts.ts';
import { realSystem } from './system.ts';

const PRETEND: Record<string, { os: OsKind; root: boolean; label: string }> = {
  'debian-root': { os: 'debian', root: true, label: 'Debian GNU/Linux 12 (bookworm)' },
  'debian-user': { os: 'debian', root: false, label: 'Debian GNU/Linux 12 (bookworm)' },
  'ubuntu-root': { os: 'ubuntu', root: true, label: 'Ubuntu 24.04 LTS' },
  'ubuntu-user': { os: 'ubuntu', root: false, label: 'Ubuntu 24.04 LTS' },
  macos: { os: 'macos', root: false, label: 'macOS' },
  other: { os: 'other', root: false, label: 'another system' },
};

function usage(message: string): never {
  console.error(
    `${message}\nusage: tsx scripts/prerequisites/main.ts [--for test|start] [--install [--dry-run]] [--as ${Object.keys(PRETEND).join('|')}]`,
  );
  process.exit(2);
}

let values: { for?: string; install?: boolean; 'dry-run'?: boolean; as?: string };
try {
  ({ values } = parseArgs({
    options: {
      for: { type: 'string' },
      install: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      as: { type: 'string' },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
const need = (values.for ?? 'test') as Need;
if (need !== 'test' && need !== 'start') usage(`--for must be test or start, not ${need}`);
if (values.as !== undefined && !PRETEND[values.as]) usage(`--as must be one of ${Object.keys(PRETEND).join(', ')}`);

const started = performance.now();
const system = realSystem();
const platform: Platform = values.as ? PRETEND[values.as]! : detectPlatform(system);
const dryRun = Boolean(values['dry-run'] || values.as);
let report = await buildReport(PARTS, need, system, platform);

const plan = aptPlan(report);
const canInstall = (platform.os === 'debian' || platform.os === 'ubuntu') && platform.root;
if (values.install && canInstall && plan.packages.length > 0) {
  const names = plan.parts.map((part) => part.name).join(', ');
  if (dryRun) {
    console.log(`Would install the Debian packages for ${names}:\n  ${aptCommand(plan.packages, true)}`);
  } else {
    console.log(`Installing the Debian packages for ${names} (missing; running as root on ${platform.label}):`);
    const result = await aptInstall(plan.packages, (line) => console.log(line));
    if (result.ok) {
      const count = result.newlyInstalled === undefined ? '' : ` (${result.newlyInstalled} packages newly installed, dependencies included)`;
      console.log(`Installed ${result.installed.join(', ')}${count}.`);
      report = await buildReport(PARTS, need, system, platform);
      const still = report.results.filter((entry) => !entry.ok && plan.parts.includes(entry.part));
      if (still.length > 0) {
        console.error(
          `apt-get installed them, yet ${still.map((entry) => entry.part.name).join(', ')} ${still.length === 1 ? 'is' : 'are'} still not where the suites look:\n`,
        );
      }
    } else {
      console.error(`Installing them failed; apt-get said:\n${result.failure}\n`);
    }
  }
}

for (const warning of versionWarnings(report.results)) console.warn(warning);
const message = missingMessage(report);
if (message) {
  console.error(message);
  process.exit(1);
}
console.log(presentLine(report, (performance.now() - started) / 1000));
