/**
 * The whole product on one machine, no AWS account needed: moto (AWS APIs) with a demo organization,
 * the policy bucket with the demo files pushed and reconciled into IAM roles, the HTTP API (the
 * Lambda's own app behind @hono/node-server, serving the web page too), the embedded demo directory, and a loopback stand-in
 * for the AWS federation endpoint. Every part is assembled from an environment, exactly as the
 * Lambdas assemble theirs (backend/assemble/), so local and deployed wiring cannot drift apart.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { assembleApiApp } from '../assemble/api.ts';
import { assembleReconciler } from '../assemble/reconciler.ts';
import { createCognitoIdentityClient, createDynamoDbClient, createOrganizationsClient, createS3Client } from '../aws/clients.ts';
import { apiConfig, reconcilerConfig, type EnvInput } from '../config/config.ts';
import { createLogger } from '../logging.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { runReconcile, type ReconcileDeps } from '../reconcile/run.ts';
import { WEB_PAGE_OUT_DIR } from '../../scripts/build/web-page.ts';
import { errorText } from '../../shared/error-text.ts';
import { createDemoOrganization } from './demo-organization.ts';
import { DEMO_USERS, type DemoUser } from './demo/users.ts';
import { startFederationStandIn } from './federation-stand-in.ts';
import type { ConsoleSessionMode } from './federation-stand-in.ts';
import { startMoto, type MotoServer } from './moto.ts';
import { pushAndReconcile, type LocalReconcileResult } from './push-and-reconcile.ts';
import { serveApi } from './serve-api.ts';
import { createStateTable } from './state-table.ts';

export const LOCAL_POLICY_BUCKET = 'switchyard-policy-local';
export const LOCAL_DEVELOPER_PROVIDER = 'login.switchyard.local';
export const LOCAL_STATE_TABLE = 'switchyard-state-local';
export const DEMO_POLICY_DIR = fileURLToPath(new URL('./demo/policy', import.meta.url));
const DEMO_DIRECTORY_FILE = fileURLToPath(new URL('./demo/directory.json', import.meta.url));

export interface LocalStackOptions {
  /** Port of the HTTP API; 0 picks a free one. */
  apiPort?: number;
  /** Log level of the backend's structured logs (default: WARN, so the console stays readable). */
  logLevel?: string;
  policyDir?: string;
  /** Folder of the policy in the bucket (default: the bucket's root). */
  policyPrefix?: string;
  /**
   * Sign-in settings over the embedded directory's (SWITCHYARD_DIRECTORY, SWITCHYARD_LDAP_*,
   * SWITCHYARD_COGNITO_*, ...), made once moto runs (a service account's password goes to its
   * Secrets Manager, a user pool into its Cognito).
   */
  signIn?: (moto: MotoServer) => Promise<EnvInput>;
  /** The session key (base64); default: a fresh random one. `npm start` keeps one in .local/. */
  sessionSecret?: string;
  /** The console session mode the federation stand-in plays at first; default single-session. */
  consoleMode?: ConsoleSessionMode;
  /** The web page's build the API serves at / (default dist/web, which `npm start` and `npm run build` write). */
  webPageDir?: string;
  /** Where the API's metrics go (tests record them); default: nowhere. */
  apiMetrics?: Metrics;
}

export interface LocalStack {
  apiUrl: string;
  federationUrl: string;
  /** Which of the console's session modes the federation stand-in plays (a person turning multi-session on or off). */
  setConsoleMode(mode: ConsoleSessionMode): void;
  moto: MotoServer;
  bucket: string;
  identityPoolId: string;
  /** The environment the local Lambdas were assembled from (AWS settings point at moto). */
  env: EnvInput;
  /** The reconciler as the bucket Lambda assembles it. */
  reconciler: ReconcileDeps;
  accountIds: Map<string, string>;
  demoUsers: DemoUser[];
  reconcile: LocalReconcileResult;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const moto = await startMoto();
    stoppers.push(moto.stop);
    const settings = moto.settings;
    const logger = createLogger('switchyard-local', options.logLevel ?? 'WARN');

    const accountIds = await createDemoOrganization(createOrganizationsClient(settings));
    await createS3Client(settings).send(new CreateBucketCommand({ Bucket: LOCAL_POLICY_BUCKET }));
    await createStateTable(createDynamoDbClient(settings), LOCAL_STATE_TABLE);
    const pool = await createCognitoIdentityClient(settings).send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'switchyard_local',
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: LOCAL_DEVELOPER_PROVIDER,
      }),
    );
    const identityPoolId = pool.IdentityPoolId;
    if (!identityPoolId) throw new Error('moto created no identity pool');
    const federation = await startFederationStandIn(settings, { consoleMode: options.consoleMode });
    stoppers.push(federation.close);

    const env: EnvInput = {
      AWS_REGION: settings.region,
      SWITCHYARD_AWS_ENDPOINT: moto.endpoint,
      SWITCHYARD_LOG_LEVEL: options.logLevel ?? 'WARN',
      SWITCHYARD_POLICY_BUCKET: LOCAL_POLICY_BUCKET,
      SWITCHYARD_POLICY_PREFIX: options.policyPrefix,
      SWITCHYARD_STATE_TABLE: LOCAL_STATE_TABLE,
      SWITCHYARD_IDENTITY_POOL_ID: identityPoolId,
      SWITCHYARD_DEVELOPER_PROVIDER: LOCAL_DEVELOPER_PROVIDER,
      SWITCHYARD_SESSION_SECRET: options.sessionSecret ?? randomBytes(32).toString('base64'),
      SWITCHYARD_DIRECTORY_FILE: DEMO_DIRECTORY_FILE,
      SWITCHYARD_FEDERATION_ENDPOINT: federation.federationEndpoint,
      SWITCHYARD_POLICY_CACHE_SECONDS: '2',
      ...(options.signIn ? await options.signIn(moto) : {}),
    };

    const reconciler = assembleReconciler(reconcilerConfig(env), { credentials: settings.credentials, logger });
    const reconcile = await pushAndReconcile(reconciler, options.policyDir ?? DEMO_POLICY_DIR);

    // A revocation asks the reconciler to deny the grant's live sessions now: the bucket Lambda in AWS, here a run in process.
    const reconcileNow = async () => {
      void runReconcile(reconciler).catch((error: unknown) => logger.error('reconcile after a revocation failed', { reason: errorText(error) }));
    };
    const app = await assembleApiApp(apiConfig(env), {
      logger,
      credentials: settings.credentials,
      webPageDir: options.webPageDir ?? WEB_PAGE_OUT_DIR,
      reconcileNow,
      ...(options.apiMetrics ? { metrics: options.apiMetrics } : {}),
    });
    const api = await serveApi(app, options.apiPort ?? 0);
    stoppers.push(api.close);

    return {
      apiUrl: api.url,
      federationUrl: federation.federationEndpoint,
      setConsoleMode: federation.setConsoleMode,
      moto,
      bucket: LOCAL_POLICY_BUCKET,
      identityPoolId,
      env,
      reconciler,
      accountIds,
      demoUsers: DEMO_USERS,
      reconcile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
