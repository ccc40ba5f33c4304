/**
 * The elevation commands of the CLI for people, as people use them, against the local stack (moto, the
 * reconciled demo policy, the API over real HTTP, the embedded directory): the bundled CLI, each person
 * signed in through the loopback handoff into a home of their own. Bob asks for Developer in
 * payments-prod, Alice finds it with --to-approve and approves it, and Bob's `switchyard credentials`
 * for that pair then works. The hostile cases: a bad duration is refused naming --duration before
 * anything is sent, Bob cannot approve his own request, and neither can Alice hers (the demo policy plus
 * one entry making her Developers group eligible for the same pair, approved by Platform-Admins, a group
 * she is in too).
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '../../shared/api/requests.ts';
import { writeCli } from '../../backend/deploy/bundle-cli.ts';
import { DEMO_POLICY_DIR, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { loginThroughWebPage, runCli, type CliRun } from '../helpers/cli-process.ts';
import { apiCaller } from '../helpers/http-api.ts';

let stack: LocalStack;
let work: string;
let switchyard: string[];
const { signIn } = apiCaller(() => stack.apiUrl);

interface Person {
  env: NodeJS.ProcessEnv;
  cli(...args: string[]): Promise<CliRun>;
}
let bob: Person;
let alice: Person;
let bobsRequest: string;

/** One more eligibility entry: Alice's Developers may ask for what Bob may, approved by Platform-Admins (Alice among them). */
const ALICE_ELIGIBLE = `
  - group: Developers
    permissionSet: Developer
    accounts: { names: [payments-prod] }
    maxDuration: PT2H
    defaultDuration: PT1H
    approval:
      groups: [Platform-Admins]
`;

async function personOf(username: string, password: string): Promise<Person> {
  const home = join(work, username);
  mkdirSync(home);
  const env = { PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: home };
  const login = await loginThroughWebPage(switchyard, env, { apiUrl: stack.apiUrl, session: await signIn(username, password) }, { cwd: work });
  expect(login.code, login.stderr).toBe(0);
  return { env, cli: (...args) => runCli([...switchyard, ...args], env, { cwd: work }) };
}

const idOf = (run: CliRun) => /^request ([a-z2-7]{16}): /.exec(run.stdout)?.[1] ?? '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-cli-elevation-'));
  const policyDir = join(work, 'policy');
  cpSync(DEMO_POLICY_DIR, policyDir, { recursive: true });
  appendFileSync(join(policyDir, 'eligibility.yaml'), ALICE_ELIGIBLE);
  stack = await startLocalStack({ apiPort: 0, policyDir });
  const { file } = await writeCli(join(work, 'build'));
  switchyard = [process.execPath, file];
  [bob, alice] = [await personOf('bob', 'bob-demo-password'), await personOf('alice', 'alice-demo-password')];
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('elevation from the terminal', () => {
  it("without a grant, credentials for the eligible pair are refused with the API's words", async () => {
    const run = await bob.cli('credentials', '--account', 'payments-prod', '--permission-set', 'Developer');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('switchyard credentials: this pair opens only on request: ask for it (and have it approved) first\n');
  });

  it('a bad duration is refused naming --duration, and nothing is asked for', async () => {
    const run = await bob.cli('request', 'payments-prod', 'Developer', '--duration', '3days', '--justification', 'OPS-123');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--duration "3days" is not a duration');
    const mine = await bob.cli('requests', '--json');
    expect(JSON.parse(mine.stdout)).toEqual([]);
  });

  it("the API's refusal of a request passes through in its own words", async () => {
    const tooLong = await bob.cli('request', 'payments-prod', 'Developer', '--duration', '3h', '--justification', 'OPS-123');
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^switchyard request: .*2 h/);
    const noTicket = await bob.cli('request', 'payments-prod', 'Developer');
    expect(noTicket.code).toBe(1);
    expect(noTicket.stderr).toMatch(/^switchyard request: a justification is required/);
  });

  it('bob asks for payments-prod Developer by the account name, and sees it pending', async () => {
    const run = await bob.cli('request', 'payments-prod', 'Developer', '--duration', '2h', '--justification', 'OPS-123 deploy fix');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: pending\n {2}payments-prod \(\d{12}\) \/ Developer for 2 h, asked by Bob Auditor\n/);
    bobsRequest = idOf(run);
    expect(bobsRequest).not.toBe('');
    const mine = await bob.cli('requests');
    expect(mine.stdout).toMatch(new RegExp(`^${bobsRequest}\\s+pending\\s+payments-prod\\s+Developer\\s+Bob Auditor\\s+2 h\\s+expires `, 'm'));
  });

  it('bob cannot approve his own request', async () => {
    const run = await bob.cli('approve', bobsRequest);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('switchyard approve: you cannot approve your own request, even as a member of an approver group\n');
    expect(run.stdout).toBe('');
  });

  it('alice lists it with --to-approve and approves it; bob then gets credentials for that pair', async () => {
    const table = await alice.cli('requests', '--to-approve');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${bobsRequest}\\s+pending\\s+payments-prod\\s+Developer\\s+Bob Auditor`, 'm'));
    const json = JSON.parse((await alice.cli('requests', '--to-approve', '--json')).stdout) as RequestView[];
    expect(json.map((r) => r.id)).toContain(bobsRequest);

    const approved = await alice.cli('approve', bobsRequest, '--reason', 'looks right');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^request ${bobsRequest}: active\n`));
    expect(approved.stdout).toContain('approved by Alice Admin (Platform-Admins): looks right');

    const credentials = await bob.cli('credentials', '--account', 'payments-prod', '--permission-set', 'Developer');
    expect(credentials.code, credentials.stderr).toBe(0);
    const issued = JSON.parse(credentials.stdout) as { Version: number; AccessKeyId: string; Expiration: string };
    expect(issued).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    const grant = JSON.parse((await bob.cli('requests', '--json')).stdout) as RequestView[];
    const endsAt = grant.find((r) => r.id === bobsRequest)?.endsAt ?? '';
    expect(Date.parse(issued.Expiration)).toBeLessThanOrEqual(Date.parse(endsAt));
  });

  it("bob extends his grant once by 30 minutes; a second extension is refused in the API's words", async () => {
    const endsAt = async () =>
      (JSON.parse((await bob.cli('requests', '--json')).stdout) as RequestView[]).find((r) => r.id === bobsRequest)?.endsAt ?? '';
    const before = await endsAt();
    const run = await bob.cli('extend', bobsRequest, '--duration', '30m', '--justification', 'OPS-124');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^request ${bobsRequest}: active\n`));
    expect(run.stdout).toContain('  extended by 30 min by Bob Auditor: OPS-124\n');
    expect(Date.parse(await endsAt()) - Date.parse(before)).toBe(1800_000);
    const again = await bob.cli('extend', bobsRequest);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('switchyard extend: this grant has had its 1 extension: ask again\n');
  });

  it('alice cannot approve her own request, though she is in the approver group; it is not in her list to approve', async () => {
    const asked = await alice.cli('request', 'payments-prod', 'Developer', '--justification', 'OPS-7');
    expect(asked.code, asked.stderr).toBe(0);
    const hers = idOf(asked);
    const toApprove = JSON.parse((await alice.cli('requests', '--to-approve', '--json')).stdout) as RequestView[];
    expect(toApprove.map((r) => r.id)).not.toContain(hers);
    const run = await alice.cli('approve', hers, '--reason', 'me');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('switchyard approve: you cannot approve your own request, even as a member of an approver group\n');
    const state = JSON.parse((await alice.cli('requests', '--json')).stdout) as RequestView[];
    expect(state.find((r) => r.id === hers)?.state).toBe('pending');

    expect((await alice.cli('deny', hers)).stderr).toContain('--reason is required');
    const cancelled = await alice.cli('cancel', hers);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(/: cancelled\n/);
  });

  it('bob gives his grant back with revoke, and the change is printed', async () => {
    const run = await bob.cli('revoke', bobsRequest, '--reason', 'done');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^request ${bobsRequest}: revoked\n`));
    expect(run.stdout).toMatch(/revoked .* by Bob Auditor: done\n/);
    const again = await alice.cli('approve', bobsRequest);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`switchyard approve: request ${bobsRequest} is revoked; only a pending request can be approved\n`);
  });
});
