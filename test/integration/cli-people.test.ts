/**
 * The CLI for people, as a person uses it, against the local stack (moto, the reconciled demo policy, the
 * API over real HTTP): the bundled CLI installed with one `npm install -g` into a clean folder with no
 * node_modules, signed in through the loopback handoff for real, then read by clients no one here wrote:
 * the AWS CLI v2, boto3 and the AWS SDK for JavaScript (fromIni) all run `switchyard configure`'s
 * credential_process profile and get the target role's assumed-role ARN from moto. Then the hostile
 * cases: no session, an ended session, console-only and unassigned pairs, a config file the AWS CLI could
 * not read or with a profile of the same name, edits outside the block, two processes refreshing at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { BLOCK_BEGIN, BLOCK_END } from '../../shared/cli/aws-config.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { writeCli } from '../../backend/deploy/bundle-cli.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { binaryPath } from '../../scripts/prerequisites/index.ts';
import { loginThroughWebPage, runCli } from '../helpers/cli-process.ts';
import { apiCaller } from '../helpers/http-api.ts';
import { pythonBesideMoto } from '../helpers/python-beside-moto.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

let stack: LocalStack;
let api: RunningServer;
const logger = recordingLogger('switchyard-api', 'SILENT');
const { call, signIn } = apiCaller(() => api.url);
let web: SessionResponse;
let work: string;
let home: string;
let switchyard: string[];
let env: NodeJS.ProcessEnv;
let configFile: string;

const accountId = (name: string) => stack.accountIds.get(name) ?? '';
const cli = (...args: string[]) => runCli([...switchyard, ...args], env, { cwd: work });
const sessionFile = () => join(home, '.switchyard', 'session.json');
const mode = (path: string) => statSync(path).mode & 0o777;
const MINE = '# my own settings\n[default]\nregion = eu-north-1\n\n[profile mine]\nregion = eu-south-1\noutput = json\n';

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  api = await serveApi(makeApiApp(await assembleApi(apiConfig(stack.env), { credentials: stack.moto.settings.credentials, logger })), 0);
  web = await signIn('alice', 'alice-demo-password');

  work = mkdtempSync(join(tmpdir(), 'switchyard-cli-people-'));
  home = join(work, 'home');
  mkdirSync(home);
  configFile = join(home, '.aws', 'config');
  env = {
    PATH: [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL: stack.moto.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
  const { tarball } = await writeCli(join(work, 'build'));
  const prefix = join(work, 'prefix');
  // The one command the README gives, into a folder of its own, offline.
  const installed = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: work,
    env,
    encoding: 'utf8',
  });
  if (installed.status !== 0) throw new Error(`npm install -g failed: ${installed.stderr}`);
  switchyard = [join(prefix, 'bin', 'switchyard')];
}, 240_000);

afterAll(async () => {
  await api?.close();
  await stack?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the CLI for people', () => {
  it('installs as one file with no dependencies and runs from a folder without node_modules', async () => {
    const packageDir = join(work, 'prefix', 'lib', 'node_modules', 'switchyard-cli');
    expect(readdirSync(packageDir).sort()).toEqual(['package.json', 'switchyard.cjs']);
    expect(existsSync(join(work, 'node_modules'))).toBe(false);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['login', 'logout', 'list', 'credentials', 'configure', 'console', 'exec', 'policy validate']) {
      expect(help.stderr).toContain(`switchyard ${command}`);
    }
  });

  it('without a session, credentials never opens a browser off a terminal: exit 3, "run switchyard login"', async () => {
    const marker = join(work, 'browser-was-opened');
    const browser = join(work, 'browser.cjs');
    writeFileSync(browser, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, process.argv[2] ?? '');\n`);
    const run = await runCli([...switchyard, 'credentials', '--api', api.url, '--account', accountId('sandbox'), '--permission-set', 'Developer'], {
      ...env,
      BROWSER: `${process.execPath} ${browser}`,
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/run switchyard login/);
    expect(existsSync(marker)).toBe(false);
  });

  it('signs in through the web page and the loopback redirect, into files only the person can read', async () => {
    const run = await loginThroughWebPage(switchyard, env, { apiUrl: api.url, session: web }, { cwd: work, strayRedirect: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Signed in to .* as Alice/);
    expect(mode(join(home, '.switchyard'))).toBe(0o700);
    expect(mode(sessionFile())).toBe(0o600);
    const stored = JSON.parse(readFileSync(sessionFile(), 'utf8')) as { token: string; api: string };
    expect(stored.api).toBe(api.url);
    expect(stored.token).not.toBe(web.token);
    expect(JSON.parse(readFileSync(join(home, '.switchyard', 'config.json'), 'utf8'))).toEqual({ api: api.url });
  });

  it('lists the entitlements as a table, JSON and CSV', async () => {
    const table = await cli('list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`payments-dev\\s+${accountId('payments-dev')}\\s+Developer\\s+eu-west-1`));
    expect(table.stdout).toMatch(/payments-prod\s+\d{12}\s+AdministratorAccess\s+eu-west-1,us-east-1\s+console only/);
    const json = JSON.parse((await cli('list', '--json')).stdout) as Entitlement[];
    expect(json.map((e) => `${e.accountName}/${e.permissionSet}`)).toContain('sandbox/Developer');
    const csv = (await cli('list', '--csv')).stdout.split('\r\n');
    expect(csv[0]).toBe('accountName,accountId,permissionSet,regions,sessionDurationSeconds,consoleOnly');
    expect(csv).toContain(`payments-dev,${accountId('payments-dev')},Developer,eu-west-1,14400,false`);
  });

  it('configures one profile per entitlement inside its block; a second run changes nothing; edits outside survive', async () => {
    mkdirSync(dirname(configFile), { recursive: true });
    writeFileSync(configFile, MINE);
    const first = await cli('configure');
    expect(first.code, first.stderr).toBe(0);
    const written = readFileSync(configFile, 'utf8');
    expect(written.startsWith(MINE)).toBe(true);
    expect(written).toContain(`${BLOCK_BEGIN}\n`);
    expect(written).toContain('[profile payments-dev/Developer]\ncredential_process = ');
    expect(written).toContain(`credentials --account ${accountId('sandbox')} --permission-set Developer --api ${api.url}\nregion = us-east-1\n`);
    expect(written).not.toContain('[profile payments-prod/AdministratorAccess]');
    expect(written).toMatch(/# console-only, no profile \(switchyard console opens them\): .*payments-prod\/AdministratorAccess/);

    const again = await cli('configure');
    expect(again.stderr).toMatch(/is up to date/);
    expect(readFileSync(configFile, 'utf8')).toBe(written);

    const edited = written
      .replace('region = eu-south-1', 'region = ap-south-2')
      .replace(BLOCK_END, `${BLOCK_END}\n\n[profile later]\nregion = sa-east-1`);
    writeFileSync(configFile, edited);
    const third = await cli('configure');
    expect(third.code).toBe(0);
    expect(readFileSync(configFile, 'utf8')).toBe(edited);

    const diff = await cli('configure', '--diff');
    expect(diff.stdout).toBe('');
    const printed = await cli('configure', '--print');
    expect(printed.stdout.startsWith(BLOCK_BEGIN)).toBe(true);
  });

  it('gives the AWS CLI v2, boto3 and the SDK for JavaScript the target role through the profile', async () => {
    const profile = 'payments-dev/Developer';
    const role = new RegExp(`^arn:aws:sts::${accountId('payments-dev')}:assumed-role/Switchyard-Developer/alice@corp\\.example\\.com\\+\\w+$`);

    // Asynchronous runs: the API answers from this very process. Debian's AWS CLI (2.9) predates AWS_ENDPOINT_URL.
    const awsCli = await runCli(
      [binaryPath('awscli'), 'sts', 'get-caller-identity', '--profile', profile, '--output', 'json', '--endpoint-url', stack.moto.endpoint],
      env,
    );
    expect(awsCli.code, awsCli.stderr).toBe(0);
    expect((JSON.parse(awsCli.stdout) as { Arn: string }).Arn).toMatch(role);

    const boto3 = await runCli(
      [
        pythonBesideMoto(),
        '-c',
        `import boto3; print(boto3.Session(profile_name=${JSON.stringify(profile)}).client("sts").get_caller_identity()["Arn"])`,
      ],
      env,
    );
    expect(boto3.code, boto3.stderr).toBe(0);
    expect(boto3.stdout.trim()).toMatch(role);

    const sdk = await runCli(
      [
        process.execPath,
        '--input-type=module',
        '-e',
        `import { fromIni } from '@aws-sdk/credential-providers';
         import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
         const sts = new STSClient({ region: 'eu-west-1', credentials: fromIni({ profile: ${JSON.stringify(profile)} }) });
         console.log((await sts.send(new GetCallerIdentityCommand({}))).Arn);`,
      ],
      env,
      { cwd: REPOSITORY },
    );
    expect(sdk.code, sdk.stderr).toBe(0);
    expect(sdk.stdout.trim()).toMatch(role);

    // One POST /credentials served all three: the cache answered the other calls.
    const issued = logger.entries.filter((entry) => entry.message === 'federation attempt' && entry.fields.outcome === 'issued');
    expect(issued).toHaveLength(1);
    expect(issued[0]?.fields).toMatchObject({ channel: 'cli', access: 'credentials', accountId: accountId('payments-dev') });
    expect(issued[0]?.fields.userAgent).toMatch(/^switchyard-cli \(Node \d+/);
    const cacheDir = join(home, '.switchyard', 'cache', 'credentials');
    const [cached] = readdirSync(cacheDir);
    expect(mode(join(cacheDir, cached ?? ''))).toBe(0o600);
    const secrets = JSON.parse(readFileSync(join(cacheDir, cached ?? ''), 'utf8')) as Record<string, string>;
    for (const key of ['AccessKeyId', 'SecretAccessKey', 'SessionToken']) expect(logger.text()).not.toContain(secrets[key]);
  });

  it('prints credential_process JSON, the same from the cache', async () => {
    const args = ['credentials', '--account', 'payments-dev', '--permission-set', 'Developer', '--region', 'eu-west-1'];
    const first = await cli(...args);
    expect(first.code, first.stderr).toBe(0);
    const output = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(output.Version).toBe(1);
    expect(new Date(String(output.Expiration)).toISOString()).toBe(output.Expiration);
    expect((await cli(...args)).stdout).toBe(first.stdout);
  });

  it('runs a command with the credentials in its environment, and exits with its code', async () => {
    const printEnv = `const e = process.env; console.log(JSON.stringify({ key: e.AWS_ACCESS_KEY_ID, region: e.AWS_REGION, profile: e.AWS_PROFILE ?? null, expires: e.AWS_CREDENTIAL_EXPIRATION }))`;
    const run = await runCli(
      [...switchyard, 'exec', '--account', 'sandbox', '--permission-set', 'Developer', '--', process.execPath, '-e', printEnv],
      {
        ...env,
        AWS_PROFILE: 'mine',
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const seen = JSON.parse(run.stdout) as { key: string; region: string; profile: string | null; expires: string };
    expect(seen.key).toMatch(/^\w{16,}$/);
    expect(seen).toMatchObject({ region: 'us-east-1', profile: null });
    const exit = await cli('exec', '--account', 'sandbox', '--permission-set', 'Developer', '--', process.execPath, '-e', 'process.exit(7)');
    expect(exit.code).toBe(7);
  });

  it('prints a console sign-in URL through /federate', async () => {
    const run = await cli(
      'console',
      '--account',
      'payments-prod',
      '--permission-set',
      'AdministratorAccess',
      '--destination',
      '/ec2/home',
      '--print',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith(`${stack.federationUrl}?Action=login`)).toBe(true);
    const audited = logger.entries.filter((entry) => entry.message === 'federation attempt').at(-1);
    expect(audited?.fields).toMatchObject({ access: 'console', channel: 'cli', outcome: 'opened' });
  });

  it('refuses a console-only pair and a pair the person lacks, as the API does', async () => {
    const consoleOnly = await cli('credentials', '--account', 'payments-prod', '--permission-set', 'AdministratorAccess');
    expect(consoleOnly.code).toBe(1);
    expect(consoleOnly.stderr).toMatch(/AdministratorAccess is console-only/);
    const lacked = await cli('credentials', '--account', accountId('payments-prod'), '--permission-set', 'ReadOnly');
    expect(lacked.code).toBe(1);
    expect(lacked.stderr).toMatch(/you may not use ReadOnly/);
    const unknown = await cli('credentials', '--account', 'no-such-account', '--permission-set', 'Developer');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/none of your entitlements is in an account named "no-such-account"/);
  });

  it('lets two processes renew one session at once: one refresh, both served', async () => {
    const stored = JSON.parse(readFileSync(sessionFile(), 'utf8')) as Record<string, unknown>;
    writeFileSync(sessionFile(), JSON.stringify({ ...stored, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const before = logger.entries.filter((entry) => entry.message === 'session refreshed').length;
    const [one, two] = await Promise.all([
      cli('credentials', '--account', 'sandbox', '--permission-set', 'Developer', '--region', 'eu-central-1'),
      cli('credentials', '--account', 'payments-dev', '--permission-set', 'Developer', '--region', 'eu-central-1'),
    ]);
    expect([one.code, two.code], `${one.stderr}${two.stderr}`).toEqual([0, 0]);
    expect(logger.entries.filter((entry) => entry.message === 'session refreshed').length - before).toBe(1);
    expect(mode(sessionFile())).toBe(0o600);
    expect(Date.parse((JSON.parse(readFileSync(sessionFile(), 'utf8')) as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now());
  });

  it('stops at a config file the AWS CLI could not read, or a same-named profile outside its block, and writes nothing', async () => {
    const good = readFileSync(configFile, 'utf8');
    const broken = good.replace('[profile mine]', '[profile mine');
    writeFileSync(configFile, broken);
    const syntax = await cli('configure');
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain(`${configFile}:5: a section header without its closing ]`);
    expect(syntax.stderr).toContain('nothing was written');
    expect(readFileSync(configFile, 'utf8')).toBe(broken);

    const clashing = `[profile sandbox/Developer]\nregion = eu-west-3\n\n${good}`;
    writeFileSync(configFile, clashing);
    const clash = await cli('configure');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`${configFile}:1: [profile sandbox/Developer] is defined outside the block`);
    expect(readFileSync(configFile, 'utf8')).toBe(clashing);
    writeFileSync(configFile, good);
  });

  it('says "run switchyard login" once the session has ended on the server (401), and logs in again', async () => {
    const stored = JSON.parse(readFileSync(sessionFile(), 'utf8')) as { token: string; refreshToken: string };
    expect((await call('/session/sign-out', { method: 'POST', json: { refreshToken: stored.refreshToken } })).status).toBe(200);
    const ended = await cli('credentials', '--account', 'sandbox', '--permission-set', 'Developer', '--region', 'ap-southeast-2');
    expect(ended.code).toBe(3);
    expect(ended.stderr).toMatch(/run switchyard login/);
    const again = await loginThroughWebPage(switchyard, env, { apiUrl: api.url, session: web }, { cwd: work });
    expect(again.code, again.stderr).toBe(0);
  });

  it('logs out: the session ends on the server, and is forgotten here with the cached credentials', async () => {
    const stored = JSON.parse(readFileSync(sessionFile(), 'utf8')) as { token: string };
    expect((await cli('credentials', '--account', 'sandbox', '--permission-set', 'Developer')).code).toBe(0);
    const out = await cli('logout');
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(sessionFile())).toBe(false);
    expect(existsSync(join(home, '.switchyard', 'cache', 'credentials'))).toBe(false);
    expect((await call('/entitlements', { token: stored.token })).status).toBe(401);
    expect((await cli('credentials', '--account', 'sandbox', '--permission-set', 'Developer')).code).toBe(3);
  });
});
