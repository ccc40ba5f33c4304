import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aptPlan, buildReport, compareVersions, detectPlatform, missingMessage, presentLine, pythonOf, versionWarnings, which } from './check.ts';
import type { System } from './check.ts';
import { PARTS } from './parts.ts';

const BOOKWORM = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
`;
const NOBLE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
ID=ubuntu
ID_LIKE=debian
`;

/** Everything this project's machines have, as the suites look for it. */
const ALL_FILES = [
  '/usr/bin/chromium',
  '/usr/bin/firefox-esr',
  '/usr/sbin/samba',
  '/usr/bin/samba-tool',
  '/usr/sbin/winbindd',
  '/usr/share/samba/setup/provision.ldif',
  '/usr/bin/aws',
];
const ALL_COMMANDS = [
  '/root/.pyenv/shims/moto_server',
  '/root/.pyenv/shims/cfn-lint',
  '/usr/bin/ldapsearch',
  '/usr/bin/ldapmodify',
  '/usr/bin/openssl',
  '/usr/bin/python3',
  '/usr/bin/unshare',
];
/** What each binary prints for its version, keyed by the command line the check runs. */
const VERSIONS: Record<string, string> = {
  '/usr/bin/chromium --version': 'Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)\n',
  '/usr/bin/firefox-esr --version': 'Mozilla Firefox 153.8.0esr\n',
  '/usr/sbin/samba --version': 'Version 4.17.12-Debian\n',
  '/usr/bin/ldapsearch -VV': 'ldapsearch: @(#) $OpenLDAP: ldapsearch 2.5.13+dfsg-5 (Feb  8 2023 01:56:12) $\n',
  '/usr/bin/unshare --version': 'unshare from util-linux 2.38.1\n',
  '/usr/bin/openssl version': 'OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)\n',
  '/usr/bin/aws --version': 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12 prompt/off\n',
  moto: '5.2.1\n',
  'cfn-lint': '1.51.0\n',
};

interface Machine {
  platform?: NodeJS.Platform;
  uid?: number;
  osRelease?: string;
  env?: Record<string, string>;
  nodeVersion?: string;
  /** Paths to take away from the full machine. */
  without?: string[];
  /** Paths to add (e.g. pipx). */
  with?: string[];
  versions?: Record<string, string>;
}

/** A fake machine: the full set of parts, less `without`; PATH is the folders of the commands. */
function fakeSystem(machine: Machine = {}): System & { ran: string[] } {
  const paths = new Set([...ALL_FILES, ...ALL_COMMANDS, ...(machine.with ?? [])]);
  for (const path of machine.without ?? []) paths.delete(path);
  const versions = { ...VERSIONS, ...machine.versions };
  const ran: string[] = [];
  return {
    ran,
    platform: machine.platform ?? 'linux',
    uid: machine.uid ?? 0,
    osRelease: machine.osRelease ?? BOOKWORM,
    env: { PATH: '/root/.pyenv/shims:/usr/local/bin:/usr/bin:/bin', ...machine.env },
    nodeVersion: machine.nodeVersion ?? 'v20.20.2',
    exists: (path) => paths.has(path),
    isExecutable: (path) => paths.has(path),
    firstLine: (path) => (path.includes('.pyenv/shims') ? '#!/usr/bin/env bash' : undefined),
    async run(command, args) {
      ran.push([command, ...args].join(' '));
      if (command === 'python3') {
        const distribution = /m\.version\("([^"]+)"\)/.exec(args.join(' '))?.[1] ?? '';
        return { ok: distribution in versions, output: versions[distribution] ?? 'PackageNotFoundError' };
      }
      const output = versions[[command, ...args].join(' ')];
      return { ok: output !== undefined, output: output ?? `${command}: not found` };
    },
  };
}

async function reportFor(need: 'start' | 'test', machine: Machine = {}) {
  return buildReport(PARTS, need, fakeSystem(machine));
}

describe('detectPlatform', () => {
  it('reads Debian and Ubuntu (and their derivatives) from /etc/os-release, and root from the uid', () => {
    expect(detectPlatform({ platform: 'linux', uid: 0, osRelease: BOOKWORM })).toEqual({
      os: 'debian',
      label: 'Debian GNU/Linux 12 (bookworm)',
      root: true,
    });
    expect(detectPlatform({ platform: 'linux', uid: 1000, osRelease: NOBLE })).toMatchObject({ os: 'ubuntu', root: false });
    const mint = 'PRETTY_NAME="Linux Mint 22"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
    expect(detectPlatform({ platform: 'linux', uid: 1000, osRelease: mint }).os).toBe('ubuntu');
    const raspbian = 'ID=raspbian\nID_LIKE=debian\n';
    expect(detectPlatform({ platform: 'linux', uid: 1000, osRelease: raspbian }).os).toBe('debian');
    const fedora = 'PRETTY_NAME="Fedora Linux 41"\nID=fedora\n';
    expect(detectPlatform({ platform: 'linux', uid: 0, osRelease: fedora })).toMatchObject({ os: 'other', label: 'Fedora Linux 41' });
    expect(detectPlatform({ platform: 'darwin', uid: 501, osRelease: undefined })).toMatchObject({ os: 'macos', root: false });
    expect(detectPlatform({ platform: 'win32', uid: undefined, osRelease: undefined })).toMatchObject({ os: 'other', root: false });
  });
});

describe('which', () => {
  it('takes the first executable along PATH, like command -v', () => {
    const system = fakeSystem({ env: { PATH: '/nowhere::/usr/bin/:/root/.pyenv/shims' } });
    expect(which('ldapsearch', system)).toBe('/usr/bin/ldapsearch');
    expect(which('moto_server', system)).toBe('/root/.pyenv/shims/moto_server');
    expect(which('pipx', system)).toBeUndefined();
  });
});

describe('a machine with every part', () => {
  it('passes, with each version read, and no message', async () => {
    const report = await reportFor('test');
    expect(report.results.every((result) => result.ok)).toBe(true);
    expect(missingMessage(report)).toBe('');
    expect(versionWarnings(report.results)).toEqual([]);
    expect(presentLine(report, 0.3)).toBe(
      'Prerequisites for npm test: all 10 present (Node.js 20.20.2, moto server 5.2.1, Chromium 156.0.8078.108, ' +
        'Firefox ESR 153.8.0esr, unshare (util-linux) 2.38.1, Samba AD DC 4.17.12, LDAP tools 2.5.13, OpenSSL 3.0.19, cfn-lint 1.51.0, ' +
        'AWS CLI v2 2.9.19; 0.3 s).',
    );
  });

  it('warns, and still passes, on another major version than tested', async () => {
    const report = await reportFor('test', { versions: { '/usr/bin/chromium --version': 'Chromium 160.0.1.2 built on Debian\n' } });
    expect(missingMessage(report)).toBe('');
    expect(versionWarnings(report.results)).toEqual([
      'warning: Chromium 160.0.1.2 here; the suites were run with 156.0.8078.108. If a suite that uses it fails, try that version.',
    ]);
  });

  it('passes when a version cannot be read', async () => {
    const report = await reportFor('test', { versions: { '/usr/bin/firefox-esr --version': 'Segmentation fault' } });
    const firefox = report.results.find((result) => result.part.id === 'firefox-esr');
    expect(firefox?.ok).toBe(true);
    expect(firefox?.version).toBeUndefined();
    expect(missingMessage(report)).toBe('');
  });
});

describe('a machine with a part missing', () => {
  it('Debian, not root, without Firefox ESR: names it, why, and the sudo apt-get command', async () => {
    const report = await reportFor('test', { uid: 1000, without: ['/usr/bin/firefox-esr'] });
    expect(missingMessage(report)).toBe(
      [
        'npm test cannot run: 1 part is missing on this machine (Debian GNU/Linux 12 (bookworm), not root).',
        '',
        '  Firefox ESR  runs the extension in the Firefox e2e suite (test/e2e/firefox*)',
        '               no /usr/bin/firefox-esr',
        '',
        'To fix:',
        '',
        '  sudo apt-get update && sudo apt-get install -y firefox-esr',
        '',
        'Then run npm test again. Nothing else has run.',
      ].join('\n'),
    );
  });

  it('Debian as root on a fresh machine: plans exactly the missing Debian packages, and names the pipx ones', async () => {
    const report = await reportFor('test', {
      without: [...ALL_FILES, '/usr/bin/ldapsearch', '/usr/bin/ldapmodify', '/root/.pyenv/shims/moto_server'],
    });
    const plan = aptPlan(report);
    expect(plan.parts.map((part) => part.id)).toEqual(['chromium', 'firefox-esr', 'samba', 'ldap-utils', 'awscli']);
    expect(plan.packages).toEqual([
      'chromium',
      'firefox-esr',
      'samba',
      'samba-ad-provision',
      'samba-dsdb-modules',
      'winbind',
      'ldap-utils',
      'awscli',
    ]);
    const message = missingMessage(report);
    expect(message).toContain('6 parts are missing on this machine (Debian GNU/Linux 12 (bookworm), root)');
    expect(message).toContain('no /usr/sbin/samba, /usr/bin/samba-tool, /usr/sbin/winbindd, /usr/share/samba/setup/provision.ldif');
    expect(message).toContain('ldapsearch, ldapmodify not on PATH');
    expect(message).toContain('moto_server not on PATH');
    // pipx is not there either, so it joins the apt packages; root needs no sudo
    expect(message).toContain(
      '\n  apt-get update && apt-get install -y chromium firefox-esr samba samba-ad-provision samba-dsdb-modules winbind ldap-utils awscli pipx\n' +
        '  pipx install "moto[server]"\n' +
        "  pipx ensurepath   # puts pipx's commands on PATH; then open a new shell\n",
    );
    expect(message).not.toContain('sudo');
    expect(message).not.toContain('cfn-lint');
  });

  it('macOS: Homebrew commands with the paths to export, and says where Samba AD DC cannot come from', async () => {
    const report = await reportFor('test', {
      platform: 'darwin',
      uid: 501,
      osRelease: '',
      without: [...ALL_FILES, '/root/.pyenv/shims/cfn-lint', '/root/.pyenv/shims/moto_server'],
      with: ['/opt/homebrew/bin/pipx'],
      env: { PATH: '/opt/homebrew/bin:/usr/bin:/bin' },
    });
    const message = missingMessage(report);
    expect(message).toContain('npm test cannot run: 6 parts are missing on this machine (macOS, not root).');
    expect(message).toContain(
      [
        'To fix:',
        '',
        '  pipx install "moto[server]"',
        '  brew install --cask chromium',
        '  export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium',
        '  brew install --cask firefox@esr',
        '  export FIREFOX_PATH=/Applications/Firefox.app/Contents/MacOS/firefox',
        '  brew install cfn-lint',
        '  brew install awscli',
        '  export AWS_CLI_PATH="$(brew --prefix)/bin/aws"',
        '',
        "Samba AD DC: Homebrew's samba is built without the AD DC: run the directory tests on Debian or Ubuntu (a VM or container).",
      ].join('\n'),
    );
    expect(message).not.toContain('apt-get');
    expect(aptPlan(report).packages).toEqual([]);
  });

  it('Ubuntu without root: Chromium from the snap, Firefox ESR from the PPA, each step with sudo', async () => {
    const report = await reportFor('test', {
      osRelease: NOBLE,
      uid: 1000,
      without: ['/usr/bin/chromium', '/usr/bin/firefox-esr', '/usr/bin/ldapsearch'],
    });
    const message = missingMessage(report);
    expect(message).toContain('  sudo apt-get update && sudo apt-get install -y ldap-utils\n');
    expect(message).toContain(
      '  sudo snap install chromium   # Ubuntu has Chromium only as a snap; untested here\n  export CHROMIUM_PATH=/snap/bin/chromium\n',
    );
    expect(message).toContain('  sudo add-apt-repository -y ppa:mozillateam/ppa && sudo apt-get install -y firefox-esr');
    expect(aptPlan(report).packages).toEqual(['ldap-utils']); // the Debian packages only; the browsers come from elsewhere
  });

  it('a CHROMIUM_PATH that points nowhere is named, and installing Chromium is not the fix', async () => {
    const report = await reportFor('test', { env: { CHROMIUM_PATH: '/opt/chrome/missing' } });
    expect(aptPlan(report).packages).toEqual([]);
    const message = missingMessage(report);
    expect(message).toContain('CHROMIUM_PATH=/opt/chrome/missing, but there is nothing there');
    expect(message).toContain("unset CHROMIUM_PATH   # or point it at Chromium's binary");
    expect(message).not.toContain('apt-get');
  });

  it('an environment override that exists is used instead of the default path', async () => {
    const report = await reportFor('test', {
      without: ['/usr/bin/chromium'],
      with: ['/opt/chromium/chrome'],
      env: { CHROMIUM_PATH: '/opt/chromium/chrome' },
      versions: { '/opt/chromium/chrome --version': 'Chromium 156.0.1.1\n' },
    });
    expect(report.results.find((result) => result.part.id === 'chromium')).toMatchObject({ ok: true, version: '156.0.1.1' });
  });
});

describe('npm start', () => {
  it('needs only Node.js and moto, and names moto with its fix', async () => {
    const report = await reportFor('start', { uid: 1000, without: ['/root/.pyenv/shims/moto_server', '/usr/bin/chromium'], with: ['/usr/bin/pipx'] });
    expect(report.results.map((result) => result.part.id)).toEqual(['node', 'moto']);
    expect(missingMessage(report)).toBe(
      [
        'npm start cannot run: 1 part is missing on this machine (Debian GNU/Linux 12 (bookworm), not root).',
        '',
        '  moto server  the AWS APIs, locally (npm start, test/integration/, test/e2e/)',
        '               moto_server not on PATH',
        '',
        'To fix:',
        '',
        '  pipx install "moto[server]"',
        '',
        'Then run npm start again. Nothing else has run.',
      ].join('\n'),
    );
  });

  it('fails on a Node.js older than package.json engines, and says how to get a newer one', async () => {
    const report = await reportFor('start', { nodeVersion: 'v18.19.0' });
    const message = missingMessage(report);
    expect(message).toContain('Node.js  runs everything (npm start, npm test)\n           18.19.0 here, older than the 20.19 it needs');
    expect(message).toContain('Node.js: Debian 12 ships Node.js 18: install Node.js 20.19 or newer, e.g. `nvm install 20`.');
  });

  it('reads the minimum Node.js from package.json engines', () => {
    const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${PARTS.find((part) => part.id === 'node')?.minimum}`);
  });
});

describe('the table of parts', () => {
  it('has unique ids, a tested version, a way to find, and a fix or a reason for every platform', () => {
    expect(new Set(PARTS.map((part) => part.id)).size).toBe(PARTS.length);
    for (const part of PARTS) {
      expect(part.tested, part.id).toMatch(/^\d/);
      expect(part.find.length, part.id).toBeGreaterThan(0);
      expect(part.neededBy, part.id).toContain('test'); // npm test runs every suite, so it needs every part
      for (const os of ['debian', 'macos', 'other'] as const) expect(part.install[os], `${part.id} on ${os}`).toBeDefined();
    }
  });

  it('names every system part the suites need', () => {
    expect(PARTS.map((part) => part.id)).toEqual([
      'node',
      'moto',
      'chromium',
      'firefox-esr',
      'unshare',
      'samba',
      'ldap-utils',
      'openssl',
      'cfn-lint',
      'awscli',
    ]);
  });
});

describe('helpers', () => {
  it('pythonOf takes the interpreter from a console script shebang, else python3', () => {
    expect(pythonOf('#!/root/.pyenv/versions/3.11.7/bin/python')).toBe('/root/.pyenv/versions/3.11.7/bin/python');
    expect(pythonOf('#!/home/me/.local/share/pipx/venvs/moto/bin/python3.12')).toBe('/home/me/.local/share/pipx/venvs/moto/bin/python3.12');
    expect(pythonOf('#!/usr/bin/env python3')).toBe('python3');
    expect(pythonOf('#!/usr/bin/env bash')).toBe('python3'); // a pyenv shim
    expect(pythonOf(undefined)).toBe('python3');
  });

  it('compareVersions compares dotted numbers', () => {
    expect(compareVersions('20.20.2', '20.19')).toBe(1);
    expect(compareVersions('20.19.0', '20.19')).toBe(0);
    expect(compareVersions('20.9.0', '20.19')).toBe(-1);
    expect(compareVersions('153.8.0esr', '153.8')).toBe(0);
  });

  it('reads a Python tool version with the interpreter of its script, without running the tool', async () => {
    const system = fakeSystem();
    await buildReport(PARTS, 'start', system);
    expect(system.ran).toEqual([`python3 -c import importlib.metadata as m; print(m.version("moto"))`]);
  });

  it('runs no version command for a part that is missing', async () => {
    const system = fakeSystem({ without: ['/usr/bin/chromium'] });
    await buildReport(PARTS, 'test', system);
    expect(system.ran.some((command) => command.includes('chromium'))).toBe(false);
  });
});
