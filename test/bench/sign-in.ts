/**
 * Does a refused sign-in say, by its timing, whether the user exists? `npm run bench -- sign-in`
 * signs in over HTTP against the local stack with a wrong password for an existing person and with
 * an unknown user name, interleaved, for the embedded directory and for LDAP against a Samba AD DC,
 * and prints medians, p95 and their ratio (unknown / wrong password). The failure limiter is replaced
 * by one that never waits, so every attempt reaches the directory. Successful sign-ins are timed too,
 * for scale. Each directory is measured twice: as deployed (refusals held to REFUSAL_MS after arrival)
 * and raw (no hold), which shows what the hold hides. The machine is shared: read the ratios, and
 * compare medians with the spread.
 */
import { randomBytes } from 'node:crypto';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi, REFUSAL_MS } from '../../backend/assemble/api.ts';
import type { SignInLimiter } from '../../backend/auth/sign-in-limiter.ts';
import { apiConfig, type EnvInput } from '../../backend/config/config.ts';
import { createLogger } from '../../backend/logging.ts';
import { ldapSignInEnv } from '../../backend/local/samba-sign-in.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import { startLocalStack } from '../../backend/local/stack.ts';
import { startTestDirectory } from '../helpers/samba.ts';

const ROUNDS = { raw: 200, deployed: 80 };
const WARM_UP = 10;

const neverWaits: SignInLimiter = {
  check: async () => ({ allowed: true }),
  failed: async () => undefined,
  succeeded: async () => undefined,
};

interface Stats {
  median: number;
  p95: number;
  iqr: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
  const round = (value: number) => Number(value.toFixed(2));
  return { median: round(at(0.5)), p95: round(at(0.95)), iqr: round(at(0.75) - at(0.25)) };
}

async function timedPost(url: string, body: unknown, expected: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== expected) throw new Error(`expected HTTP ${expected}, got ${response.status}`);
  return elapsed;
}

async function measure(label: string, url: string, known: { username: string; password: string }, rounds: number): Promise<Record<string, unknown>> {
  const wrong: number[] = [];
  const unknown: number[] = [];
  const success: number[] = [];
  for (let round = -WARM_UP; round < rounds; round++) {
    // Alternate which goes first, so drift on the machine falls on both alike.
    const pair = [
      async () => wrong.push(await timedPost(url, { username: known.username, password: `wrong-${randomBytes(6).toString('hex')}` }, 401)),
      async () => unknown.push(await timedPost(url, { username: `nobody-${randomBytes(6).toString('hex')}`, password: known.password }, 401)),
    ];
    for (const attempt of round % 2 ? pair : pair.reverse()) await attempt();
    if (round % 10 === 0) success.push(await timedPost(url, known, 200));
    if (round === -1) {
      wrong.length = 0;
      unknown.length = 0;
      success.length = 0;
    }
  }
  const figures = { wrongPassword: stats(wrong), unknownUser: stats(unknown), success: stats(success) };
  const ratio = Number((figures.unknownUser.median / figures.wrongPassword.median).toFixed(3));
  const p95Ratio = Number((figures.unknownUser.p95 / figures.wrongPassword.p95).toFixed(3));
  console.log(
    `${label.padEnd(26)} wrong password ${fmt(figures.wrongPassword)} | unknown user ${fmt(figures.unknownUser)} | ` +
      `ratio ${ratio} (p95 ${p95Ratio}) | success ${fmt(figures.success)}`,
  );
  return { rounds, ...figures, medianRatioUnknownToWrong: ratio, p95RatioUnknownToWrong: p95Ratio };
}

function fmt(value: Stats): string {
  return `median ${value.median} ms, p95 ${value.p95} ms, IQR ${value.iqr} ms`;
}

export async function run(): Promise<Record<string, unknown>> {
  const domain = await startTestDirectory({ groups: [], people: [] });
  let ldapEnv: EnvInput = {};
  const stack = await startLocalStack({
    apiPort: 0,
    signIn: async (moto) => {
      ldapEnv = await ldapSignInEnv(domain, moto);
      return {};
    },
  });
  const serve = async (env: EnvInput, refusalMs?: number) =>
    serveApi(
      makeApiApp(
        await assembleApi(apiConfig({ ...stack.env, ...env }), {
          credentials: stack.moto.settings.credentials,
          logger: createLogger('switchyard-bench', 'SILENT'),
          signInLimiter: neverWaits,
          ...(refusalMs !== undefined ? { refusalMs } : {}),
        }),
      ),
      0,
    );
  const servers = {
    embeddedRaw: await serve({}, 0),
    ldapRaw: await serve(ldapEnv, 0),
    embedded: await serve({}),
    ldap: await serve(ldapEnv),
  };
  try {
    const alice = { username: 'alice', password: 'alice-demo-password' };
    console.log(`refusals held to ${REFUSAL_MS} ms after arrival ("deployed"), or not at all ("raw"):`);
    return {
      refusalMs: REFUSAL_MS,
      embeddedRaw: await measure('embedded, raw', servers.embeddedRaw.url, alice, ROUNDS.raw),
      ldapRaw: await measure('LDAP (Samba AD), raw', servers.ldapRaw.url, alice, ROUNDS.raw),
      embedded: await measure('embedded, deployed', servers.embedded.url, alice, ROUNDS.deployed),
      ldap: await measure('LDAP (Samba AD), deployed', servers.ldap.url, alice, ROUNDS.deployed),
    };
  } finally {
    for (const server of Object.values(servers)) await server.close();
    await stack.stop();
    await domain.stop();
  }
}
