/**
 * `switchyard access report` against the local stack (moto: the bucket's published policy, the state
 * table; a generated directory file), and the oracle: for a generated set of people in overlapping
 * groups, what /entitlements answers each of them must equal the report's rows exactly, both ways. A
 * click shows up as the pair's last console use; a group the directory does not know is its own
 * section; a person removed from a group is gone from the next report.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntitlementsResponse } from '../../shared/api/entitlements.ts';
import type { AccessRow } from '../../shared/access/report-rows.ts';
import { assembleAccessReport } from '../../backend/assemble/access-report.ts';
import { hashPassword } from '../../backend/auth/password-hash.ts';
import { accessDiff, EXIT_DIFFERENT } from '../../backend/cli/access-diff.ts';
import { makeAccessReport } from '../../backend/cli/access-report.ts';
import { accessReportConfig, scheduledReportConfig } from '../../backend/config/config.ts';
import type { ReportNotice } from '../../backend/access/report-notice.ts';
import { makeScheduledReport } from '../../backend/access/scheduled-report.ts';
import { assembleScheduledReport } from '../../backend/assemble/scheduled-report.ts';
import { createS3Client, createSnsClient } from '../../backend/aws/clients.ts';
import { bucketLayout } from '../../backend/bucket/layout.ts';
import { makeHandler as makeAccessReportHandler } from '../../backend/handlers/access-report.ts';
import { DEMO_POLICY_DIR, LOCAL_POLICY_BUCKET, startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { pushAndReconcile } from '../../backend/local/push-and-reconcile.ts';
import { apiCaller } from '../helpers/http-api.ts';
import { scheduledEvent } from '../helpers/lambda-events.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

const GROUPS = ['Platform-Admins', 'Developers', 'Auditors', 'Not-In-Any-Policy'];
const PEOPLE = 14;

/** A small deterministic generator, so a failure can be reproduced. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface GeneratedPerson {
  username: string;
  password: string;
  groups: string[];
}

let folder: string;
let policyDir: string;
let directoryFile: string;
let stack: LocalStack;
let people: GeneratedPerson[];
const { call } = apiCaller(() => stack.apiUrl);

/** A UUID that stays with the person across rewrites of the directory file, as a directory's id does. */
function stableId(username: string): string {
  const hex = createHash('sha256').update(username).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function writeDirectory(list: GeneratedPerson[]): Promise<void> {
  const users = [];
  for (const person of list) {
    users.push({
      id: stableId(person.username),
      username: person.username,
      displayName: `Person ${person.username}`,
      passwordHash: await hashPassword(person.password),
      groups: person.groups,
    });
  }
  await writeFile(directoryFile, JSON.stringify({ domain: 'corp.example.com', users }));
}

async function report(format: 'csv' | 'jsonl' | 'md', args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = makeAccessReport({
    sources: async (io) => assembleAccessReport(accessReportConfig(io.env), { credentials: stack.moto.settings.credentials }),
    stderrIsTerminal: false,
  });
  const code = await command.run(['--format', format, ...args], {
    env: { ...stack.env },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

function jsonlRecords(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const rowsOf = (text: string) => jsonlRecords(text).filter((record) => record.type === 'row') as unknown as AccessRow[];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'switchyard-access-report-'));
  directoryFile = join(folder, 'directory.json');
  const random = generator(18);
  people = Array.from({ length: PEOPLE }, (_, index) => ({
    username: `person${index}`,
    password: `person${index}-test-password`,
    groups: GROUPS.filter(() => random() < 0.45),
  }));
  await writeDirectory(people);
  // The demo policy, plus an assignment to a group the directory does not know.
  policyDir = join(folder, 'policy');
  await cp(DEMO_POLICY_DIR, policyDir, { recursive: true });
  await appendFile(join(policyDir, 'assignments.yaml'), '\n  - group: Ghost-Team\n    permissionSet: ReadOnly\n    accounts: "*"\n');
  stack = await startLocalStack({ apiPort: 0, policyDir, signIn: async () => ({ SWITCHYARD_DIRECTORY_FILE: directoryFile }) });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('access report', () => {
  it('equals what /entitlements answers each person, both ways, and lists the unknown group apart', async () => {
    const reached = new Set<string>();
    // Pairs a person may only ask for (eligibility): every route of theirs to the pair says eligible.
    const eligibleReached = new Set<string>();
    for (const person of people) {
      const session = await call('/session', { method: 'POST', json: { username: person.username, password: person.password } });
      expect(session.status).toBe(200);
      const token = (session.body as { token: string }).token;
      const answer = await call('/entitlements', { token });
      expect(answer.status).toBe(200);
      const body = answer.body as EntitlementsResponse;
      for (const entitlement of body.entitlements) {
        reached.add(`${body.user.id} ${entitlement.accountId} ${entitlement.permissionSet}`);
        if (entitlement.eligible) eligibleReached.add(`${body.user.id} ${entitlement.accountId} ${entitlement.permissionSet}`);
      }
    }
    expect(reached.size).toBeGreaterThan(20);

    const { code, stdout } = await report('jsonl');
    expect(code).toBe(0);
    const rows = rowsOf(stdout);
    const reported = new Set(rows.filter((row) => row.enabled).map((row) => `${row.personId} ${row.accountId} ${row.permissionSet}`));
    expect([...reported].filter((key) => !reached.has(key))).toEqual([]);
    expect([...reached].filter((key) => !reported.has(key))).toEqual([]);
    const keyOf = (row: AccessRow) => `${row.personId} ${row.accountId} ${row.permissionSet}`;
    const standing = new Set(rows.filter((row) => row.enabled && row.kind === 'standing').map(keyOf));
    const onlyEligible = new Set(rows.filter((row) => row.enabled && row.kind === 'eligible' && !standing.has(keyOf(row))).map(keyOf));
    expect(eligibleReached.size).toBeGreaterThan(0);
    expect([...onlyEligible].sort()).toEqual([...eligibleReached].sort());
    for (const row of rows.filter((candidate) => candidate.kind === 'eligible')) expect(row.approvalRule).toMatch(/eligibility.*entry/);

    const records = jsonlRecords(stdout);
    expect(records[0]).toMatchObject({ type: 'header', directory: `the directory file ${directoryFile}`, unusedDays: 90 });
    expect(records[0]?.policySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(records[0]?.generation).toMatch(/\S/);
    expect(records.filter((record) => record.type === 'unknown-group')).toEqual([{ type: 'unknown-group', group: 'Ghost-Team' }]);
    const sample = rows[0];
    expect(sample).toMatchObject({ kind: 'standing', membership: 'direct', chain: [], unused: true, reviewer: '', decision: '', comment: '' });
    expect(sample?.roleArn).toContain(`:${sample?.accountId}:role/`);
  });

  it('shows a click as the pair’s last console use, and no longer flags it unused', async () => {
    const person = people.find((candidate) => candidate.groups.includes('Developers'));
    if (!person) throw new Error('the generated organization has no developer');
    const session = await call('/session', { method: 'POST', json: { username: person.username, password: person.password } });
    const { token, entitlements, user } = session.body as {
      token: string;
      entitlements: { accountId: string; permissionSet: string }[];
      user: { id: string };
    };
    const [target] = entitlements;
    if (!target) throw new Error('the developer has no entitlement');
    expect(
      (await call('/federate', { method: 'POST', token, json: { accountId: target.accountId, permissionSet: target.permissionSet } })).status,
    ).toBe(200);

    let row: AccessRow | undefined;
    for (let attempt = 0; attempt < 20 && !row?.lastConsoleUse; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      row = rowsOf((await report('jsonl')).stdout).find(
        (candidate) => candidate.personId === user.id && candidate.accountId === target.accountId && candidate.permissionSet === target.permissionSet,
      );
    }
    expect(row?.lastConsoleUse).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(row?.lastCliUse).toBe('');
    expect(row?.unused).toBe(false);
  });

  it('writes CSV with the evidence line first and Markdown with the unknown groups section, and refuses a bad option', async () => {
    const csv = await report('csv');
    const lines = csv.stdout.split('\n');
    expect(lines[0]).toMatch(/^# generated_at=.*; generation=.*; policy_sha256=[0-9a-f]{64}; directory=the directory file .*; unused_days=90$/);
    expect(lines[1]?.split(',')).toContain('last_console_use');
    expect(csv.stdout).toContain('# unknown group: Ghost-Team\n');
    const md = await report('md');
    expect(md.stdout).toContain('## Groups the directory does not know\n\n- Ghost-Team\n');
    const out = join(folder, 'report.csv');
    const toFile = await report('csv', ['--out', out, '--unused-days', '30']);
    expect(toFile.stdout).toBe('');
    expect(await readFile(out, 'utf8')).toContain('unused_days=30');
    await expect(report('xml' as 'csv')).rejects.toThrow(/--format must be one of csv, jsonl, md/);
  });

  it('a person removed from a group is gone from the next report, and access diff shows it', async () => {
    const person =
      people.find((candidate) => candidate.groups.includes('Auditors') && candidate.groups.length === 1) ??
      people.find((candidate) => candidate.groups.includes('Auditors'));
    if (!person) throw new Error('the generated organization has no auditor');
    const id = `${person.username}@corp.example.com`;
    const before = rowsOf((await report('jsonl')).stdout).filter((row) => row.personId === id && row.group === 'Auditors');
    expect(before.length).toBeGreaterThan(0);
    const oldFile = join(folder, 'old.csv');
    const newFile = join(folder, 'new.csv');
    expect((await report('csv', ['--out', oldFile])).code).toBe(0);
    person.groups = person.groups.filter((group) => group !== 'Auditors');
    await writeDirectory(people);
    const after = rowsOf((await report('jsonl')).stdout).filter((row) => row.personId === id && row.group === 'Auditors');
    expect(after).toEqual([]);
    expect((await report('csv', ['--out', newFile])).code).toBe(0);

    let stdout = '';
    const code = await accessDiff.run([oldFile, newFile], { env: {}, stdout: (text) => (stdout += text), stderr: () => undefined });
    expect(code).toBe(EXIT_DIFFERENT);
    expect(stdout).toContain(`0 added, ${before.length} removed, 0 changed`);
    for (const row of before) expect(stdout).toContain(`- ${id} ${row.accountId} (${row.accountName}) ${row.permissionSet} via Auditors`);
    expect(await accessDiff.run([newFile, newFile], { env: {}, stdout: () => undefined, stderr: () => undefined })).toBe(0);
  });

  it('--as-of reports on a past generation with that publication’s SHA-256, and names the nearest kept ones for an unknown one', async () => {
    const headerOf = (text: string) => jsonlRecords(text)[0] ?? {};
    const first = headerOf((await report('jsonl')).stdout);
    const firstGeneration = String(first.generation);
    // A second generation: the unknown group's assignment is removed.
    const assignments = join(policyDir, 'assignments.yaml');
    await writeFile(assignments, (await readFile(assignments, 'utf8')).replace(/\n {2}- group: Ghost-Team[^]*$/, '\n'));
    await pushAndReconcile(stack.reconciler, policyDir);
    const second = headerOf((await report('jsonl')).stdout);
    expect(second.generation).not.toBe(firstGeneration);

    const past = await report('jsonl', ['--as-of', firstGeneration]);
    expect(past.code).toBe(0);
    expect(headerOf(past.stdout)).toMatchObject({ generation: firstGeneration, policySha256: first.policySha256 });
    expect(jsonlRecords(past.stdout).filter((record) => record.type === 'unknown-group')).toEqual([{ type: 'unknown-group', group: 'Ghost-Team' }]);
    expect(jsonlRecords((await report('jsonl')).stdout).filter((record) => record.type === 'unknown-group')).toEqual([]);

    const unknown = firstGeneration.replace(/^\d{4}/, '2001');
    const refused = await report('jsonl', ['--as-of', unknown]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`generation ${unknown} is not kept in s3://`);
    expect(refused.stderr).toContain(`the nearest known: ${firstGeneration}, ${String(second.generation)}`);
    await expect(report('jsonl', ['--as-of', 'last-tuesday'])).rejects.toThrow(/--as-of must be a policy generation id/);
  });
});

describe('the scheduled access report', () => {
  it('writes CSV and JSON Lines under _switchyard/reports/, announces them with keys and counts only, and is an audit record', async () => {
    const settings = stack.moto.settings;
    const { TopicArn } = await createSnsClient(settings).send(new CreateTopicCommand({ Name: 'switchyard-reports' }));
    const sqs = new SQSClient({ region: settings.region, endpoint: settings.endpoint, credentials: settings.credentials });
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'reports-subscriber' }))).QueueUrl ?? '';
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await createSnsClient(settings).send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    const logger = recordingLogger('switchyard-access-report');
    const scratchDir = await mkdtemp(join(folder, 'scratch-'));
    const handlerOf = (env: Record<string, string | undefined>) =>
      makeAccessReportHandler({
        report: (trigger) =>
          makeScheduledReport(
            assembleScheduledReport(scheduledReportConfig(env), { logger, credentials: settings.credentials, scratchDir }),
            trigger,
          ),
        now: () => new Date('2026-12-07T06:00:00Z'),
      });

    const notice = await handlerOf({ ...stack.env, SWITCHYARD_REPORTS_TOPIC_ARN: TopicArn })(scheduledEvent());
    const layout = bucketLayout(stack.env.SWITCHYARD_POLICY_PREFIX);
    expect(notice.keys).toEqual({ csv: layout.accessReportFile('2026-12-07', 'csv'), jsonl: layout.accessReportFile('2026-12-07', 'jsonl') });
    expect(notice.keys.csv).toMatch(/_switchyard\/reports\/2026-12-07\.csv$/);
    const read = async (key: string) =>
      (await (await createS3Client(settings).send(new GetObjectCommand({ Bucket: LOCAL_POLICY_BUCKET, Key: key }))).Body?.transformToString()) ?? '';
    const [csv, jsonl] = [await read(notice.keys.csv), await read(notice.keys.jsonl)];
    const fromCli = rowsOf((await report('jsonl')).stdout);
    expect(rowsOf(jsonl)).toEqual(fromCli);
    expect(csv.split('\n')[0]).toContain(`generation=${notice.generation}; policy_sha256=${notice.policySha256}`);
    expect(
      csv
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('#')),
    ).toHaveLength(fromCli.length + 1);
    expect(notice).toMatchObject({ source: 'switchyard', type: 'access-report', bucket: `s3://${LOCAL_POLICY_BUCKET}`, rows: fromCli.length });
    expect(notice.people).toBe(new Set(fromCli.map((row) => row.personId)).size);

    let messages: string[] = [];
    for (let attempt = 0; attempt < 10 && messages.length === 0; attempt++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      messages = (Messages ?? []).map((message) => message.Body ?? '');
    }
    expect(messages.map((body) => JSON.parse(body) as ReportNotice)).toEqual([notice]);
    // Keys and counts, never a row: no person, no account name.
    for (const row of fromCli.slice(0, 5)) expect(messages[0]).not.toContain(row.personId);

    const made = logger.entries.find((entry) => entry.message === 'access report made');
    expect(made?.fields).toMatchObject({
      audit: 'access-report',
      by: `schedule ${scheduledEvent().resources[0]}`,
      keys: notice.keys,
      rows: notice.rows,
    });
    expect(await readdir(scratchDir)).toEqual([]);

    // Nothing published under this prefix: no file, an audit record of the failure, a failed invocation.
    await expect(handlerOf({ ...stack.env, SWITCHYARD_POLICY_PREFIX: 'nothing-here' })({})).rejects.toThrow(/no policy is published/);
    expect(logger.entries.find((entry) => entry.message === 'access report not made')?.fields).toMatchObject({
      audit: 'access-report',
      by: 'a direct invocation',
      keys: { csv: 'nothing-here/_switchyard/reports/2026-12-07.csv' },
    });
    await expect(read('nothing-here/_switchyard/reports/2026-12-07.csv')).rejects.toThrow();
  });
});
