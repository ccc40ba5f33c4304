/**
 * The click, measured (`npm run bench -- federate`), against the local stack (moto, the reconciled demo
 * policy, the federation stand-in):
 *   1. the backend's own time per click beyond its AWS calls, with a fixed latency added to every AWS call
 *      and to the federation endpoint (a proxy in front of each), so the figure means what it would in
 *      Lambda: median and p95 of (handler time - time waiting for AWS), from the audit records, and of
 *      (HTTP round trip - time waiting for AWS), from the client;
 *   2. clicks per second the local API sustains under concurrent load (autocannon): through moto as it is,
 *      through moto with the added latency, and with a broker that answers from memory (the API's own
 *      ceiling: session check, policy, entitlements, destination check, audit record).
 * Logs are produced and serialized as in production but the stdout they go to is discarded while measuring.
 * `npx tsx test/bench/federate.ts` runs it alone.
 */
import { pathToFileURL } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import type { ConsoleBroker } from '../../backend/broker/console-broker.ts';
import { apiConfig } from '../../backend/config/config.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLatencyProxy } from '../helpers/latency-proxy.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

/** Roughly what a Cognito, STS or federation call costs from a Lambda in the same region. */
const LATENCY_MS = 40;
const SEQUENTIAL_CLICKS = 150;
const WARM_UP_CLICKS = 15;
const CONNECTIONS = 10;
const LOAD_SECONDS = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const round = (value: number) => Math.round(value * 100) / 100;

/** Runs `work` with stdout discarded (the logs are still built and written, just not shown). */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((_chunk: unknown, ...rest: unknown[]) => {
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    // Connections still open when the load ends are answered (and logged) just after it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.stdout.write = write;
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack({ apiPort: 0, logLevel: 'SILENT' });
  const closers: (() => Promise<void>)[] = [stack.stop];
  try {
    const sandbox = stack.accountIds.get('sandbox') ?? '';
    const click = { accountId: sandbox, permissionSet: 'Developer', region: 'eu-west-1', destination: '/ec2/home#Instances:' };
    const env = { ...stack.env, SWITCHYARD_POLICY_CACHE_SECONDS: '30' };
    const credentials = stack.moto.settings.credentials;

    // 1. Time per click beyond the AWS calls, with LATENCY_MS added to each.
    const slowAws = await startLatencyProxy(stack.moto.endpoint, LATENCY_MS);
    const slowFederation = await startLatencyProxy(new URL(stack.federationUrl).origin, LATENCY_MS);
    closers.unshift(slowAws.close, slowFederation.close);
    const logger = recordingLogger('switchyard-api', 'INFO');
    const slowEnv = { ...env, SWITCHYARD_AWS_ENDPOINT: slowAws.endpoint, SWITCHYARD_FEDERATION_ENDPOINT: `${slowFederation.endpoint}/federation` };
    const slowApi = await serveApi(makeApiApp(await assembleApi(apiConfig(slowEnv), { credentials, logger })), 0);
    closers.unshift(slowApi.close);
    const session = await quietly(() => signIn(slowApi.url));
    const post = (url: string) =>
      fetch(`${url}/federate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify(click),
      });
    const roundTrips: number[] = [];
    await quietly(async () => {
      for (let i = 0; i < WARM_UP_CLICKS + SEQUENTIAL_CLICKS; i++) {
        const started = performance.now();
        const response = await post(slowApi.url);
        await response.text();
        if (response.status !== 200) throw new Error(`a click answered HTTP ${response.status}`);
        if (i >= WARM_UP_CLICKS) roundTrips.push(performance.now() - started);
      }
    });
    const audits = logger.entries.filter((entry) => entry.message === 'federation attempt').slice(WARM_UP_CLICKS);
    const upstream = audits.map((entry) => Number(entry.fields.upstreamMs));
    const handlerOwn = audits.map((entry) => Number(entry.fields.durationMs) - Number(entry.fields.upstreamMs));
    const roundTripOwn = roundTrips.map((value, i) => value - (upstream[i] ?? 0));
    const callsPerClick = (slowAws.requests() + slowFederation.requests()) / (WARM_UP_CLICKS + SEQUENTIAL_CLICKS);

    // 2. Clicks per second under concurrent load.
    const loadOf = async (url: string): Promise<Result> =>
      quietly(() =>
        autocannon({
          url: `${url}/federate`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
          body: JSON.stringify(click),
          connections: CONNECTIONS,
          duration: LOAD_SECONDS,
        }),
      );
    const fastApi = await serveApi(
      makeApiApp(await assembleApi(apiConfig(env), { credentials, logger: recordingLogger('switchyard-api', 'INFO') })),
      0,
    );
    closers.unshift(fastApi.close);
    const memoryBroker: ConsoleBroker = {
      credentials: async (request) => ({
        credentials: { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000) },
        sessionName: `${request.user.id}+${request.requestId}`,
        upstreamMs: 0,
      }),
      signIn: async (request) => ({
        url: `https://signin.aws.amazon.com/federation?Action=login&Destination=${encodeURIComponent(request.destinationUrl)}&SigninToken=t`,
        sessionName: `${request.user.id}+${request.requestId}`,
        upstreamMs: 0,
      }),
    };
    const apiAloneDeps = {
      ...(await assembleApi(apiConfig(env), { credentials, logger: recordingLogger('switchyard-api', 'INFO') })),
      broker: memoryBroker,
    };
    const apiAlone = await serveApi(makeApiApp(apiAloneDeps), 0);
    closers.unshift(apiAlone.close);

    const throughMoto = await loadOf(fastApi.url);
    const throughSlow = await loadOf(slowApi.url);
    const alone = await loadOf(apiAlone.url);
    const load = (result: Result) => ({
      clicksPerSecond: round(result.requests.average),
      latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
    });

    const figures = {
      addedLatencyPerCallMs: LATENCY_MS,
      clicks: SEQUENTIAL_CLICKS,
      callsPerClick: round(callsPerClick),
      upstreamMs: { median: round(percentile(upstream, 50)), p95: round(percentile(upstream, 95)) },
      backendOwnMs: { median: round(percentile(handlerOwn, 50)), p95: round(percentile(handlerOwn, 95)) },
      roundTripBeyondAwsMs: { median: round(percentile(roundTripOwn, 50)), p95: round(percentile(roundTripOwn, 95)) },
      roundTripMs: { median: round(percentile(roundTrips, 50)), p95: round(percentile(roundTrips, 95)) },
      load: {
        connections: CONNECTIONS,
        seconds: LOAD_SECONDS,
        throughMoto: load(throughMoto),
        throughMotoWithAddedLatency: load(throughSlow),
        apiAloneBrokerInMemory: load(alone),
      },
    };
    console.log(
      `federate bench: ${SEQUENTIAL_CLICKS} clicks, ${LATENCY_MS} ms added to each AWS and federation call (${figures.callsPerClick} calls per click)`,
    );
    console.log(`  waiting for AWS:           median ${figures.upstreamMs.median} ms, p95 ${figures.upstreamMs.p95} ms`);
    console.log(`  backend's own time:        median ${figures.backendOwnMs.median} ms, p95 ${figures.backendOwnMs.p95} ms (handler time minus AWS)`);
    console.log(
      `  round trip beyond AWS:     median ${figures.roundTripBeyondAwsMs.median} ms, p95 ${figures.roundTripBeyondAwsMs.p95} ms (HTTP on loopback included)`,
    );
    console.log(`  round trip:                median ${figures.roundTripMs.median} ms, p95 ${figures.roundTripMs.p95} ms`);
    for (const [name, result] of Object.entries(figures.load)) {
      if (typeof result !== 'object') continue;
      console.log(
        `  load, ${CONNECTIONS} connections, ${LOAD_SECONDS} s, ${name}: ${result.clicksPerSecond} clicks/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }
    return figures;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

async function signIn(apiUrl: string): Promise<SessionResponse> {
  const response = await fetch(`${apiUrl}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'alice-demo-password' }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered HTTP ${response.status}`);
  return (await response.json()) as SessionResponse;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
