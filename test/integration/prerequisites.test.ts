/**
 * The real prerequisites CLI (scripts/prerequisites/main.ts) and `npm test` / `npm start` on this machine,
 * with parts hidden the way a user's machine would lack them: PATH without pyenv's shims (no moto_server,
 * no cfn-lint), FIREFOX_PATH pointing nowhere, or SWITCHYARD_PREREQS_SYSROOT at an empty folder (no
 * /usr/bin/chromium, no Samba...). Nothing is installed: the install path runs only with --dry-run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CHECK = join(ROOT, 'scripts/prerequisites/main.ts');
/** Node's own folder and the system's, but none of pyenv's shims. */
const PATH_WITHOUT_PYTHON_TOOLS = [dirname(process.execPath), '/usr/bin', '/bin'].join(':');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a runaway `npm test` can be ended whole
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const check = (args: string[], env: Record<string, string>) => run(process.execPath, [TSX, CHECK, ...args], env);

describe('the prerequisites check on this machine', () => {
  let emptyRoot: string;
  beforeAll(async () => {
    emptyRoot = await mkdtemp(join(tmpdir(), 'switchyard-prereqs-sysroot-'));
  });
  afterAll(async () => {
    await rm(emptyRoot, { recursive: true, force: true });
  });

  it('passes where every part is there, in one line', async () => {
    const { code, stdout, stderr } = await check(['--for', 'test'], {});
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^Prerequisites for npm test: all 10 present \(Node\.js .*, moto server .*, Chromium .*OpenSSL .*cfn-lint .*AWS CLI v2 .*\)\.\n$/,
    );
    expect(code).toBe(0);
  });

  it('names each hidden part, why it counts as missing, and its fix, in one message', async () => {
    const { code, stdout, stderr } = await check(['--for', 'test'], {
      PATH: PATH_WITHOUT_PYTHON_TOOLS,
      FIREFOX_PATH: '/nonexistent/firefox-esr',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^npm test cannot run: 3 parts are missing on this machine \(/);
    expect(stderr).toContain(
      '  moto server  the AWS APIs, locally (npm start, test/integration/, test/e2e/)\n               moto_server not on PATH\n',
    );
    expect(stderr).toContain(
      '  Firefox ESR  runs the extension in the Firefox e2e suite (test/e2e/firefox*)\n               FIREFOX_PATH=/nonexistent/firefox-esr, but there is nothing there\n',
    );
    expect(stderr).toContain(
      '  cfn-lint     lints the CloudFormation templates (test/integration/templates*)\n               cfn-lint not on PATH\n',
    );
    expect(stderr).toContain('\n  pipx install "moto[server]"\n');
    expect(stderr).toContain("\n  unset FIREFOX_PATH   # or point it at Firefox ESR's binary\n");
    expect(stderr).toContain('\n  pipx install cfn-lint\n');
    expect(stderr).toContain('Then run npm test again. Nothing else has run.');
    expect(stderr).not.toContain('Chromium');
  });

  it('as root on Debian, on a machine as fresh as can be faked, plans exactly the missing Debian packages', async (context) => {
    if (process.getuid?.() !== 0) context.skip();
    const { code, stdout, stderr } = await check(['--for', 'test', '--install', '--dry-run'], {
      PATH: emptyRoot, // node runs from process.execPath; no command is found
      SWITCHYARD_PREREQS_SYSROOT: emptyRoot,
    });
    expect(stdout).toBe(
      'Would install the Debian packages for Chromium, Firefox ESR, unshare (util-linux), Samba AD DC, LDAP tools, OpenSSL, AWS CLI v2:\n' +
        '  apt-get update && apt-get install -y chromium firefox-esr util-linux samba samba-ad-provision samba-dsdb-modules winbind ldap-utils openssl awscli\n',
    );
    expect(stderr).toContain('npm test cannot run: 9 parts are missing on this machine (Debian');
    expect(stderr).toContain('pipx install "moto[server]"');
    expect(code).toBe(1);
  });

  it('shows the macOS message on request', async () => {
    const { code, stderr } = await check(['--for', 'test', '--as', 'macos'], { SWITCHYARD_PREREQS_SYSROOT: emptyRoot });
    expect(code).toBe(1);
    expect(stderr).toContain('(macOS, not root)');
    expect(stderr).toContain('  brew install --cask chromium\n  export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium\n');
    expect(stderr).not.toContain('apt-get');
  });

  it('npm test stops at the check, before the typecheck, with the message', async () => {
    const { code, stdout, stderr } = await run('npm', ['test'], { FIREFOX_PATH: '/nonexistent/firefox-esr' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('npm test cannot run: 1 part is missing on this machine');
    expect(stderr).toContain('FIREFOX_PATH=/nonexistent/firefox-esr, but there is nothing there');
    expect(stdout).not.toContain('tsc --noEmit');
  });

  it('npm start stops before starting anything when moto is missing, and names the fix', async () => {
    const { code, stdout, stderr } = await run('npm', ['start'], { PATH: PATH_WITHOUT_PYTHON_TOOLS });
    expect(code).not.toBe(0);
    expect(stderr).toContain('npm start cannot run: 1 part is missing on this machine');
    expect(stderr).toContain('moto_server not on PATH');
    expect(stderr).toContain('pipx install "moto[server]"');
    expect(stdout).not.toContain('Starting Switchyard locally');
  });
});
