/**
 * `switchyard credentials` as the AWS CLI and the SDKs run it (`credential_process`, a new process on every
 * call), measured with the bundled CLI (`npm run bench -- credentials`):
 *   1. with a warm cache, beside an empty `node -e ''` in the same run, interleaved, so the machine's load
 *      weighs on both alike: medians and their ratio (the goal: at most 2x Node's own start);
 *   2. with a cold cache, against the local stack with LATENCY_MS added to every AWS call the API makes (a
 *      proxy in front of moto): the median time, the AWS calls behind one answer, and what it is made of (the
 *      API's answer, the whole program's start).
 * `npx tsx test/bench/credentials.ts` runs it alone.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliAuthorizeResponse } from '../../shared/api/cli-login.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { cacheFileOf, clearCredentialCache, writeCachedCredentials } from '../../backend/cli/people/credential-cache.ts';
import { saveSession, storedSessionOf } from '../../backend/cli/people/session-store.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { writeCli } from '../../backend/deploy/bundle-cli.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLatencyProxy } from '../helpers/latency-proxy.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { median } from './support/figures.ts';

/** Roughly what a Cognito, STS or S3 call costs from a Lambda in the same region. */
const LATENCY_MS = 40;
const WARM_RUNS = 41;
const COLD_RUNS = 15;

const round = (value: number) => Math.round(value * 10) / 10;

/** Wall time of one process, from spawn to exit; throws when it fails. */
function timed(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'switchyard-bench-credentials-'));
  const closers: (() => Promise<void>)[] = [];
  try {
    const { file } = await writeCli(join(work, 'cli'));
    const home = join(work, 'home');
    const env = { PATH: process.env.PATH, HOME: home, SWITCHYARD_HOME: join(home, '.switchyard') };

    // 1. Warm cache: an answer that lasts an hour.
    const api = 'https://switchyard.example.com';
    const target = { account: '111111111111', permissionSet: 'Developer' };
    writeCachedCredentials(cacheFileOf(env, api, target), {
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
      Region: 'eu-west-1',
    });
    const credentials = [process.execPath, file, 'credentials', '--api', api, '--account', target.account, '--permission-set', target.permissionSet];
    const empty = [process.execPath, '-e', ''];
    const nodeStart: number[] = [];
    const warm: number[] = [];
    for (let index = 0; index < WARM_RUNS; index++) {
      nodeStart.push(await timed(empty, env));
      warm.push(await timed(credentials, env));
    }

    // 2. Cold cache, against the local stack with LATENCY_MS added to each AWS call of the API.
    const stack = await startLocalStack({ apiPort: 0, logLevel: 'SILENT' });
    closers.push(stack.stop);
    const slowAws = await startLatencyProxy(stack.moto.endpoint, LATENCY_MS);
    closers.unshift(slowAws.close);
    const slowEnv = { ...stack.env, SWITCHYARD_AWS_ENDPOINT: slowAws.endpoint, SWITCHYARD_POLICY_CACHE_SECONDS: '30' };
    const logger = recordingLogger('switchyard-api', 'SILENT');
    const slowApi = await serveApi(makeApiApp(await assembleApi(apiConfig(slowEnv), { credentials: stack.moto.settings.credentials, logger })), 0);
    closers.unshift(slowApi.close);
    saveSession(env, storedSessionOf(slowApi.url, await cliSession(slowApi.url)));
    const sandbox = stack.accountIds.get('sandbox') ?? '';
    const cold = [process.execPath, file, 'credentials', '--api', slowApi.url, '--account', sandbox, '--permission-set', 'Developer'];
    await timed(cold, env); // the API's first policy read and connections
    const coldTimes: number[] = [];
    const callsBefore = slowAws.requests();
    for (let index = 0; index < COLD_RUNS; index++) {
      clearCredentialCache(env);
      coldTimes.push(await timed(cold, env));
    }
    const awsCallsPerAnswer = (slowAws.requests() - callsBefore) / COLD_RUNS;
    const issued = logger.entries.filter((entry) => entry.message === 'federation attempt' && entry.fields.outcome === 'issued').slice(1);
    const upstream = issued.map((entry) => Number(entry.fields.upstreamMs));
    const answered = issued.map((entry) => Number(entry.fields.durationMs));
    // What a cold answer costs before any request: starting the whole program (its --help), not the cache's fast path.
    const programStart: number[] = [];
    for (let index = 0; index < COLD_RUNS; index++) programStart.push(await timed([process.execPath, file, '--help'], env));

    const figures = {
      warmCache: {
        runs: WARM_RUNS,
        nodeStartMedianMs: round(median(nodeStart)),
        credentialsMedianMs: round(median(warm)),
        ratio: round(median(warm) / median(nodeStart)),
        goalRatio: 2,
      },
      coldCache: {
        runs: COLD_RUNS,
        addedLatencyPerAwsCallMs: LATENCY_MS,
        credentialsMedianMs: round(median(coldTimes)),
        awsCallsPerAnswer: round(awsCallsPerAnswer),
        apiWaitingForAwsMedianMs: round(median(upstream)),
        apiAnswerMedianMs: round(median(answered)),
        wholeProgramStartMedianMs: round(median(programStart)),
      },
    };
    const { warmCache, coldCache } = figures;
    console.log(`credentials bench (bundled CLI, ${WARM_RUNS} warm and ${COLD_RUNS} cold runs)`);
    console.log(`  node -e '':                median ${warmCache.nodeStartMedianMs} ms`);
    console.log(`  credentials, warm cache:   median ${warmCache.credentialsMedianMs} ms = ${warmCache.ratio}x Node's start (goal: at most 2x)`);
    console.log(
      `  credentials, cold cache:   median ${coldCache.credentialsMedianMs} ms with ${LATENCY_MS} ms added to each of ${coldCache.awsCallsPerAnswer} AWS calls ` +
        `(the API waited ${coldCache.apiWaitingForAwsMedianMs} ms for the identity pool and STS)`,
    );
    console.log(
      `    of which: the API's answer ${coldCache.apiAnswerMedianMs} ms, the whole program's start (--help) ${coldCache.wholeProgramStartMedianMs} ms`,
    );
    return figures;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

/** A session for the CLI, made as `switchyard login` makes it (the web page's part played here). */
async function cliSession(apiUrl: string): Promise<SessionResponse> {
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`${path} answered HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  const web = await post<SessionResponse>('/session', { username: 'alice', password: 'alice-demo-password' });
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = 'http://127.0.0.1:49152/callback';
  const { code } = await post<CliAuthorizeResponse>(
    '/cli/authorize',
    {
      redirectUri,
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      codeChallengeMethod: 'S256',
      refreshToken: web.refreshToken,
    },
    web.token,
  );
  return post<SessionResponse>('/session/cli', { code, codeVerifier: verifier, redirectUri });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
