/**
 * Every system part Switchyard needs outside node_modules, in one table. `npm start`, `npm test`,
 * `.ci/run` (which only runs `npm test`) and the README's "What `npm test` needs" table all read it.
 *
 * Adding a part is one entry in PARTS below, nothing else:
 *   - `find`: how to tell it is there (a command on PATH, or a file with an environment override such
 *     as CHROMIUM_PATH); every locator must be found. Suites should locate their binary with
 *     `binaryPath(id)` from ./index.ts, so the check and the suite look in the same place.
 *   - `version` + `tested`: how to read its version and the version the suites were run with (a
 *     different major version is a warning, never a failure; `minimum` is a failure).
 *   - `neededBy` and `suites`: which command needs it (`npm start` only needs what the local stack
 *     runs) and which suite folders use it, for the messages and the README.
 *   - `install`: the Debian packages (`npm test` installs them itself as root on Debian/Ubuntu) and the
 *     exact command for each other platform.
 * Then run `npm run prereqs:readme` to regenerate the README table (a unit test fails until you do).
 */

export type Need = 'start' | 'test';

/** How to tell a part is there. */
export type Locator =
  /** A command looked up on PATH, as the code that runs it spawns it by name. */
  | { command: string }
  /** An absolute path; when `env` is set in the environment, its value is the path instead. */
  | { file: string; env?: string }
  /** The Node.js that runs this check. */
  | { node: true };

/** How to read a part's version once it is found (never run when the part is missing). */
export type VersionProbe =
  /** Run the first locator's binary with `args`; group 1 of `match` on stdout + stderr is the version. */
  | { args: readonly string[]; match: RegExp }
  /**
   * The version of a Python distribution, read with importlib.metadata by the interpreter that runs the
   * first locator's script (its shebang), else by `python3`. Much faster than `cfn-lint --version`.
   */
  | { pythonDistribution: string }
  /** process.version */
  | { node: true };

/** How to install a part on one platform. */
export type Fix =
  /** Debian packages, installed with their recommends (`npm test` does it itself when run as root). */
  | { apt: readonly string[] }
  /**
   * An exact shell command. `root`: each `&&` step needs root, so it is shown with `sudo` to anyone else.
   * `then` is a second command to run after it (e.g. an environment variable to export); `note` is prose.
   */
  | { command: string; root?: boolean; then?: string; note?: string }
  /** There is no way on this platform; say why and what to do instead. */
  | { unavailable: string };

export interface Install {
  debian: Fix;
  /** Defaults to `debian`. */
  ubuntu?: Fix;
  macos: Fix;
  /** Any other system. */
  other: Fix;
}

export interface Part {
  id: string;
  /** As people call it, in messages and the README. */
  name: string;
  /** What it is for, in a few words. */
  purpose: string;
  neededBy: readonly Need[];
  /** Where it is used: commands and suite folders (globs for suites still to come). */
  suites: readonly string[];
  find: readonly Locator[];
  version?: VersionProbe;
  /** The version the suites were run with on Debian 12 (bookworm). */
  tested: string;
  /** Older than this fails the check (Node.js: package.json engines). */
  minimum?: string;
  install: Install;
}

const PIPX_MOTO = 'pipx install "moto[server]"';
const AWS_CLI_INSTALL_URL = 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html';
const PIPX_CFN_LINT = 'pipx install cfn-lint';

export const PARTS: readonly Part[] = [
  {
    id: 'node',
    name: 'Node.js',
    purpose: 'runs everything',
    neededBy: ['start', 'test'],
    suites: ['npm start', 'npm test'],
    find: [{ node: true }],
    version: { node: true },
    tested: '20.20.2',
    minimum: '20.19', // package.json engines; a unit test keeps the two equal
    install: {
      debian: { unavailable: 'Debian 12 ships Node.js 18: install Node.js 20.19 or newer, e.g. `nvm install 20`' },
      macos: { command: 'brew install node@20', then: 'export PATH="$(brew --prefix node@20)/bin:$PATH"' },
      other: { unavailable: 'install Node.js 20.19 or newer, e.g. `nvm install 20`' },
    },
  },
  {
    id: 'moto',
    name: 'moto server',
    purpose: 'the AWS APIs, locally',
    neededBy: ['start', 'test'],
    suites: ['npm start', 'test/integration/', 'test/e2e/'],
    find: [{ command: 'moto_server' }],
    version: { pythonDistribution: 'moto' },
    tested: '5.2.1',
    install: {
      debian: { command: PIPX_MOTO },
      macos: { command: PIPX_MOTO },
      other: { command: PIPX_MOTO },
    },
  },
  {
    id: 'chromium',
    name: 'Chromium',
    purpose: 'runs the extension in the Chromium e2e suite',
    neededBy: ['test'],
    suites: ['test/e2e/'],
    find: [{ file: '/usr/bin/chromium', env: 'CHROMIUM_PATH' }],
    version: { args: ['--version'], match: /Chromium (\d[\w.]*)/ },
    tested: '156.0.8078.108',
    install: {
      debian: { apt: ['chromium'] },
      ubuntu: {
        command: 'snap install chromium',
        root: true,
        then: 'export CHROMIUM_PATH=/snap/bin/chromium',
        note: 'Ubuntu has Chromium only as a snap; untested here',
      },
      macos: {
        command: 'brew install --cask chromium',
        then: 'export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium',
      },
      other: { unavailable: 'install Chromium and set CHROMIUM_PATH to its binary' },
    },
  },
  {
    id: 'firefox-esr',
    name: 'Firefox ESR',
    purpose: 'runs the extension in the Firefox e2e suite',
    neededBy: ['test'],
    suites: ['test/e2e/firefox*'],
    find: [{ file: '/usr/bin/firefox-esr', env: 'FIREFOX_PATH' }],
    version: { args: ['--version'], match: /Firefox (\d[\w.]*)/ },
    tested: '153.8.0esr',
    install: {
      debian: { apt: ['firefox-esr'] },
      ubuntu: {
        command: 'add-apt-repository -y ppa:mozillateam/ppa && apt-get install -y firefox-esr',
        root: true,
        note: 'Ubuntu has Firefox ESR only from that PPA; untested here',
      },
      macos: {
        command: 'brew install --cask firefox@esr',
        then: 'export FIREFOX_PATH=/Applications/Firefox.app/Contents/MacOS/firefox',
      },
      other: { unavailable: 'install Firefox ESR and set FIREFOX_PATH to its binary' },
    },
  },
  {
    id: 'unshare',
    name: 'unshare (util-linux)',
    purpose: "runs each policy test's browser in a mount namespace of its own, over a private copy of the policy folder",
    neededBy: ['test'],
    suites: ['test/e2e/managed-policy*', 'test/e2e/firefox*'],
    find: [{ command: 'unshare' }],
    version: { args: ['--version'], match: /util-linux (\d[\w.]*)/ },
    tested: '2.38.1',
    install: {
      debian: { apt: ['util-linux'] },
      macos: { unavailable: 'macOS has no mount namespaces: run the browser policy tests on Linux (a VM or container)' },
      other: { unavailable: 'install util-linux (unshare); the policy tests also need root or unprivileged user namespaces' },
    },
  },
  {
    id: 'samba',
    name: 'Samba AD DC',
    purpose: 'the Active Directory the LDAP directory tests sign in against',
    neededBy: ['test'],
    suites: ['test/integration/directory*', 'test/e2e/sign-in*', 'npm start -- --directory samba'],
    find: [
      { file: '/usr/sbin/samba' },
      { file: '/usr/bin/samba-tool' },
      // AD DC mode starts winbindd; `samba` alone does not pull it in (winbind is only a Suggests)
      { file: '/usr/sbin/winbindd' },
      // `samba-tool domain provision` reads these (package samba-ad-provision)
      { file: '/usr/share/samba/setup/provision.ldif' },
    ],
    version: { args: ['--version'], match: /Version (\d+\.\d+\.\d+)/ },
    tested: '4.17.12',
    install: {
      // What the machines the suites ran on have (apt-get install samba winbind, recommends on), spelled out so
      // it holds without recommends too. Not Debian's samba-ad-dc metapackage: its recommends libnss-winbind
      // and libpam-winbind would add winbind to this machine's nsswitch.conf and PAM.
      debian: { apt: ['samba', 'samba-ad-provision', 'samba-dsdb-modules', 'winbind'] },
      macos: {
        unavailable: "Homebrew's samba is built without the AD DC: run the directory tests on Debian or Ubuntu (a VM or container)",
      },
      other: { unavailable: 'install Samba 4 with the AD DC (samba-tool domain provision) and winbind' },
    },
  },
  {
    id: 'ldap-utils',
    name: 'LDAP tools',
    purpose: 'ldapsearch and ldapmodify for the directory tests',
    neededBy: ['test'],
    suites: ['test/integration/directory*'],
    find: [{ command: 'ldapsearch' }, { command: 'ldapmodify' }],
    version: { args: ['-VV'], match: /ldapsearch (\d+\.\d+\.\d+)/ },
    tested: '2.5.13',
    install: {
      debian: { apt: ['ldap-utils'] },
      macos: { command: 'brew install openldap', then: 'export PATH="$(brew --prefix openldap)/bin:$PATH"' },
      other: { unavailable: 'install the OpenLDAP client tools (ldapsearch, ldapmodify)' },
    },
  },
  {
    id: 'openssl',
    name: 'OpenSSL',
    purpose: "issues the test CA and the test directory server's certificate",
    neededBy: ['test'],
    suites: ['test/integration/directory*', 'test/e2e/sign-in*', 'npm start -- --directory samba'],
    find: [{ command: 'openssl' }],
    version: { args: ['version'], match: /OpenSSL (\d+\.\d+\.\d+)/ },
    tested: '3.0.19',
    install: {
      debian: { apt: ['openssl'] },
      macos: { command: 'brew install openssl@3', then: 'export PATH="$(brew --prefix openssl@3)/bin:$PATH"' },
      other: { unavailable: 'install OpenSSL 3 (the openssl command)' },
    },
  },
  {
    id: 'cfn-lint',
    name: 'cfn-lint',
    purpose: 'lints the CloudFormation templates',
    neededBy: ['test'],
    suites: ['test/integration/templates*'],
    find: [{ command: 'cfn-lint' }],
    version: { pythonDistribution: 'cfn-lint' },
    tested: '1.51.0',
    install: {
      // Debian 12 has no cfn-lint package
      debian: { command: PIPX_CFN_LINT },
      macos: { command: 'brew install cfn-lint' },
      other: { command: PIPX_CFN_LINT },
    },
  },
  {
    id: 'awscli',
    name: 'AWS CLI v2',
    purpose: "runs `aws sts get-caller-identity` through `switchyard configure`'s credential_process profile",
    neededBy: ['test'],
    suites: ['test/integration/cli-people*', 'npm run bench -- credentials'],
    // A file, not a command: a Python environment's own `aws` (version 1) often comes first on PATH.
    find: [{ file: '/usr/bin/aws', env: 'AWS_CLI_PATH' }],
    version: { args: ['--version'], match: /aws-cli\/(\d[\w.]*)/ },
    tested: '2.9.19',
    minimum: '2.0.0',
    install: {
      debian: { apt: ['awscli'] },
      macos: { command: 'brew install awscli', then: 'export AWS_CLI_PATH="$(brew --prefix)/bin/aws"' },
      other: { unavailable: `install the AWS CLI version 2 (${AWS_CLI_INSTALL_URL}) and set AWS_CLI_PATH to its aws binary` },
    },
  },
];
