/**
 * The API at the scale of the largest organizations (`npm run bench -- api-at-scale [--accounts 10000]
 * [--sets 10] [--groups 500]`): the published policy of 10,000 accounts x 10 permission sets x 500
 * groups (test/bench/support/scale-policy.ts), and
 *   - its size, raw and gzipped, in the policy bucket;
 *   - the cold start: the bundled API Lambda (dist/lambda/api as packaged, built here) in a fresh Node
 *     process: its first GET /entitlements (a typical person's) downloads the object (from moto on
 *     loopback: no network time), parses and checks it and builds the entitlement index, which the
 *     second does not; then the admin's first and second answers;
 *   - in this process, medians: parsing the object, building the index, and one person's entitlements:
 *     the all-accounts admin (100,000 pairs), a typical person (two team groups), one /federate check;
 *   - the admin's answer through the real app and Lambda adapter (hono/aws-lambda): the JSON's size, and
 *     what Lambda returns (gzipped, base64) against Lambda's 6 MB response limit and API Gateway's 10 MB.
 * `--profile DIR` writes a CPU profile of each cold run there.
 * Goals: cold-start parse under 1 s; the admin under 50 ms; a typical person under 1 ms; no answer over a limit.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { handle } from 'hono/aws-lambda';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { assemblePolicyBucket } from '../../backend/assemble/bucket.ts';
import { hashPassword } from '../../backend/auth/password-hash.ts';
import { createDynamoDbClient, createS3Client } from '../../backend/aws/clients.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { bundleHandler } from '../../backend/deploy/bundle.ts';
import { startMoto } from '../../backend/local/moto.ts';
import { createStateTable } from '../../backend/local/state-table.ts';
import { entitlementIndex, entitlementStatus, resolveEntitlements } from '../../shared/entitlements.ts';
import { inPublishedOrder, parsePublishedPolicy, serializePublishedPolicy } from '../../shared/plan/published-policy.ts';
import { runBundledLambda } from './support/bundled-lambda.ts';
import { median, mib, round } from './support/figures.ts';
import { numberOption, type BenchOptions } from './support/options.ts';
import { ADMIN_GROUP, loadScalePolicy, setNameOf, TYPICAL_GROUPS, accountIdOf } from './support/scale-policy.ts';

const BUCKET = 'switchyard-api-scale-bench';
const STATE_TABLE = 'switchyard-api-scale-bench-state';
const RUNS = 21;
/** Lambda's response payload for a synchronous invocation: 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;
/** An HTTP API's payload: 10 MB (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
const HTTP_API_PAYLOAD_BYTES = 10 * 1024 * 1024;
const GOALS = { coldParseMs: 1000, adminMs: 50, typicalMs: 1 };
const PASSWORD = 'bench-password-1';

function timed(work: () => unknown, runs = RUNS): { medianMs: number; minMs: number; maxMs: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return { medianMs: round(median(samples)), minMs: round(Math.min(...samples)), maxMs: round(Math.max(...samples)) };
}

function httpEvent(method: string, path: string, headers: Record<string, string>, body?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'accept-encoding': 'gzip, deflate, br', ...headers },
    ...(body !== undefined ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '06/Dec/2026:21:00:00 +0000',
      timeEpoch: 1_796_000_000_000,
    },
  };
}

interface LambdaAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const accounts = numberOption(options, 'accounts', 10_000);
  const sets = numberOption(options, 'sets', 10);
  const groups = numberOption(options, 'groups', 500);

  console.log(`api-at-scale bench: ${accounts} accounts x ${sets} permission sets x ${groups} groups`);
  const loadStarted = performance.now();
  const loaded = loadScalePolicy(accounts, sets, groups);
  const { available } = loaded;
  const policy = inPublishedOrder(loaded.policy);
  const policyLoadSeconds = round((performance.now() - loadStarted) / 1000);
  const publishedJson = serializePublishedPolicy({ policy, available, publishedAt: new Date().toISOString(), generation: 'bench', runId: 'bench' });
  const published = { bytes: Buffer.byteLength(publishedJson), gzippedBytes: gzipSync(publishedJson).length };
  console.log(
    `  published policy: ${mib(published.bytes)} MiB (${published.bytes} B), ${round(published.gzippedBytes / 1024)} KiB gzipped; loading the files took ${policyLoadSeconds} s`,
  );

  // In this process: parse, index, entitlements.
  const parse = timed(() => parsePublishedPolicy(JSON.parse(publishedJson)), 5);
  const parsed = parsePublishedPolicy(JSON.parse(publishedJson));
  if (!parsed.ok) throw new Error(parsed.error);
  const build = timed(() => entitlementIndex({ ...parsed.published.policy }, parsed.published.available), 5);
  const adminGroups = [ADMIN_GROUP];
  const first = { admin: 0, typical: 0 };
  let started = performance.now();
  const adminList = resolveEntitlements(parsed.published.policy, adminGroups, parsed.published.available);
  first.admin = round(performance.now() - started);
  started = performance.now();
  const typicalList = resolveEntitlements(parsed.published.policy, TYPICAL_GROUPS, parsed.published.available);
  first.typical = round(performance.now() - started);
  const admin = timed(() => resolveEntitlements(parsed.published.policy, adminGroups, parsed.published.available));
  const typical = timed(() => resolveEntitlements(parsed.published.policy, TYPICAL_GROUPS, parsed.published.available), 201);
  const target = { accountId: accountIdOf(Math.floor(accounts / 2)), permissionSet: setNameOf(3) };
  const federateCheck = timed(() => entitlementStatus(parsed.published.policy, adminGroups, parsed.published.available, target), 201);
  console.log(
    `  in process: parse ${parse.medianMs} ms, index ${build.medianMs} ms; admin (${adminList.length} pairs) ${admin.medianMs} ms (first ${first.admin} ms), ` +
      `typical (${typicalList.length} pairs) ${typical.medianMs} ms (first ${first.typical} ms), one /federate check ${federateCheck.medianMs} ms`,
  );

  // Through the real app and Lambda adapter, and the bundled Lambda cold.
  const moto = await startMoto({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' } });
  const scratch = await mkdtemp(join(tmpdir(), 'switchyard-api-scale-'));
  try {
    await createS3Client(moto.settings).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await createStateTable(createDynamoDbClient(moto.settings), STATE_TABLE);
    await assemblePolicyBucket(moto.settings, { bucket: BUCKET, prefix: '' }).publishPolicy({
      policy,
      available,
      generation: 'bench',
      runId: 'bench',
      publishedAt: new Date().toISOString(),
    });
    const hash = await hashPassword(PASSWORD);
    const directoryFile = join(scratch, 'directory.json');
    await writeFile(
      directoryFile,
      JSON.stringify({
        domain: 'corp.example.com',
        users: [
          { id: randomUUID(), username: 'admin', displayName: 'Platform Admin', passwordHash: hash, groups: adminGroups },
          { id: randomUUID(), username: 'typical', displayName: 'Typical Person', passwordHash: hash, groups: TYPICAL_GROUPS },
        ],
      }),
    );
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      SWITCHYARD_LOG_LEVEL: 'SILENT',
      SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
      SWITCHYARD_POLICY_BUCKET: BUCKET,
      SWITCHYARD_STATE_TABLE: STATE_TABLE,
      SWITCHYARD_IDENTITY_POOL_ID: 'us-east-1:00000000-0000-0000-0000-000000000000',
      SWITCHYARD_DEVELOPER_PROVIDER: 'login.switchyard.bench',
      SWITCHYARD_SESSION_SECRET: Buffer.alloc(32, 7).toString('base64'),
      SWITCHYARD_DIRECTORY_FILE: directoryFile,
    };
    const lambda = handle(makeApiApp(await assembleApi(apiConfig(env), { credentials: moto.settings.credentials })));
    const call = async (event: ReturnType<typeof httpEvent>) => (await lambda(event as never, {} as never)) as unknown as LambdaAnswer;
    const signIn = async (username: string) => {
      const answer = await call(
        httpEvent('POST', '/session', { 'content-type': 'application/json' }, JSON.stringify({ username, password: PASSWORD })),
      );
      if (answer.statusCode !== 200) throw new Error(`sign-in of ${username} answered ${answer.statusCode}`);
      const json = answer.isBase64Encoded ? gunzipText(answer.body) : answer.body;
      return { token: (JSON.parse(json) as { token: string }).token, answer };
    };
    const adminSession = await signIn('admin');
    const typicalSession = await signIn('typical');
    const entitlementsEvent = (token: string) => httpEvent('GET', '/entitlements', { authorization: `Bearer ${token}` });
    const answers: LambdaAnswer[] = [];
    const adminRequests: number[] = [];
    for (let i = 0; i < 7; i++) {
      const at = performance.now();
      answers.push(await call(entitlementsEvent(adminSession.token)));
      adminRequests.push(performance.now() - at);
    }
    const adminAnswer = answers.at(-1) as LambdaAnswer;
    if (adminAnswer.statusCode !== 200) throw new Error(`GET /entitlements answered ${adminAnswer.statusCode}`);
    const adminJson = adminAnswer.isBase64Encoded ? gunzipText(adminAnswer.body) : adminAnswer.body;
    const listed = (JSON.parse(adminJson) as { entitlements: unknown[] }).entitlements.length;
    const lambdaResultBytes = Buffer.byteLength(JSON.stringify(adminAnswer));
    const signInResultBytes = Buffer.byteLength(JSON.stringify(adminSession.answer));
    const response = {
      entitlementsListed: listed,
      jsonBytes: Buffer.byteLength(adminJson),
      contentEncoding: adminAnswer.headers['content-encoding'] ?? 'none',
      lambdaResultBytes,
      signInLambdaResultBytes: signInResultBytes,
      lambdaLimitBytes: LAMBDA_RESPONSE_BYTES,
      httpApiLimitBytes: HTTP_API_PAYLOAD_BYTES,
      underLambdaLimit: lambdaResultBytes <= LAMBDA_RESPONSE_BYTES && signInResultBytes <= LAMBDA_RESPONSE_BYTES,
      /** What API Gateway sends on: the decoded body. */
      underHttpApiLimit: (adminAnswer.isBase64Encoded ? Buffer.from(adminAnswer.body, 'base64').length : lambdaResultBytes) <= HTTP_API_PAYLOAD_BYTES,
      warmRequestMedianMs: round(median(adminRequests.slice(2))),
    };
    const typicalAnswer = await call(entitlementsEvent(typicalSession.token));
    const uncompressed = await call(
      httpEvent('GET', '/entitlements', { authorization: `Bearer ${adminSession.token}`, 'accept-encoding': 'identity' }),
    );
    const uncompressedBytes = Buffer.byteLength(JSON.stringify(uncompressed));
    Object.assign(response, {
      withoutGzip: {
        statusCode: uncompressed.statusCode,
        lambdaResultBytes: uncompressedBytes,
        underLambdaLimit: uncompressedBytes <= LAMBDA_RESPONSE_BYTES,
      },
    });
    console.log(
      `  the admin's GET /entitlements: ${listed} entitlements, ${mib(response.jsonBytes)} MiB of JSON, sent ${response.contentEncoding}: ` +
        `Lambda returns ${round(lambdaResultBytes / 2 ** 20)} MiB (limit 6 MiB), sign-in ${round(signInResultBytes / 2 ** 20)} MiB; ` +
        `the whole request ${response.warmRequestMedianMs} ms warm; a typical person's answer ${Buffer.byteLength(JSON.stringify(typicalAnswer))} B`,
    );
    console.log(`  the same request refusing gzip: ${uncompressed.statusCode}, Lambda returns ${uncompressedBytes} B`);

    // The bundled API Lambda, cold: its first request reads the policy (a typical person's, so the answer itself costs
    // nothing), the second is warm; then the admin's first and second answers.
    const bundle = await bundleHandler('api');
    const bundlePath = join(scratch, 'api.mjs');
    await writeFile(bundlePath, bundle.code);
    const coldRuns: {
      policyReadMs: number;
      policyReadCpuMs: number;
      firstTypicalMs: number;
      secondTypicalMs: number;
      firstAdminMs: number;
      secondAdminMs: number;
      secondAdminCpuMs: number;
      maxRssMiB: number;
    }[] = [];
    for (let i = 0; i < 3; i++) {
      const typicalEvent = entitlementsEvent(typicalSession.token);
      const adminEvent = entitlementsEvent(adminSession.token);
      const nodeArguments = typeof options.profile === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : [];
      const run = await runBundledLambda(bundlePath, { events: [typicalEvent, typicalEvent, adminEvent, adminEvent], env, nodeArguments });
      for (const { result } of run.calls) {
        if ((result as LambdaAnswer).statusCode !== 200) throw new Error(`the bundled API answered ${(result as LambdaAnswer).statusCode}`);
      }
      const [first, second, third, fourth] = run.calls.map((c) => round(c.ms));
      const cpu = run.calls.map((c) => c.cpuMs);
      coldRuns.push({
        policyReadMs: round((first ?? NaN) - (second ?? NaN)),
        policyReadCpuMs: round((cpu[0] ?? NaN) - (cpu[1] ?? NaN)),
        secondAdminCpuMs: round(cpu[3] ?? NaN),
        firstTypicalMs: first ?? NaN,
        secondTypicalMs: second ?? NaN,
        firstAdminMs: third ?? NaN,
        secondAdminMs: fourth ?? NaN,
        maxRssMiB: mib(run.maxRssBytes),
      });
    }
    const cold = {
      runs: coldRuns,
      policyReadMedianMs: round(median(coldRuns.map((r) => r.policyReadMs))),
      policyReadCpuMedianMs: round(median(coldRuns.map((r) => r.policyReadCpuMs))),
      secondAdminCpuMedianMs: round(median(coldRuns.map((r) => r.secondAdminCpuMs))),
      firstAdminMedianMs: round(median(coldRuns.map((r) => r.firstAdminMs))),
      secondAdminMedianMs: round(median(coldRuns.map((r) => r.secondAdminMs))),
      maxRssMiB: Math.max(...coldRuns.map((r) => r.maxRssMiB)),
    };
    const coldParseMs = cold.policyReadMedianMs;
    console.log(
      `  the bundled API, cold: its first request spends ${coldParseMs} ms (${cold.policyReadCpuMedianMs} ms of CPU) reading the policy ` +
        `(download from moto on loopback, parse, index); the admin's first answer then ${cold.firstAdminMedianMs} ms, ` +
        `second ${cold.secondAdminMedianMs} ms (${cold.secondAdminCpuMedianMs} ms of CPU); maxRSS ${cold.maxRssMiB} MiB`,
    );

    const goals = {
      coldStartParseUnder1s: {
        goalMs: GOALS.coldParseMs,
        coldParseMs,
        inProcessParseAndIndexMs: round(parse.medianMs + build.medianMs),
        met: coldParseMs < GOALS.coldParseMs,
      },
      adminUnder50ms: { goalMs: GOALS.adminMs, medianMs: admin.medianMs, firstMs: first.admin, met: admin.medianMs < GOALS.adminMs },
      typicalUnder1ms: { goalMs: GOALS.typicalMs, medianMs: typical.medianMs, met: typical.medianMs < GOALS.typicalMs },
      noAnswerOverALimit: { met: response.underLambdaLimit && response.underHttpApiLimit },
    };
    console.log(
      `goals: ${Object.entries(goals)
        .map(([name, goal]) => `${name} ${goal.met ? 'met' : 'MISSED'}`)
        .join(', ')}`,
    );
    return {
      accounts,
      permissionSets: sets,
      groups,
      policyLoadSeconds,
      published,
      inProcess: {
        parse,
        indexBuild: build,
        admin,
        adminFirstMs: first.admin,
        typical,
        typicalFirstMs: first.typical,
        federateCheck,
        adminPairs: adminList.length,
        typicalPairs: typicalList.length,
      },
      response,
      cold,
      goals,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await moto.stop();
  }
}

function gunzipText(base64: string): string {
  return gunzipSync(Buffer.from(base64, 'base64')).toString();
}
