/**
 * The whole product on one machine, no AWS account needed: moto (AWS APIs) with a demo organization,
 * the policy bucket with the demo files reconciled into IAM roles, the HTTP API (the Lambda's own
 * handler behind a local adapter), the embedded demo directory, and a loopback stand-in for the AWS
 * federation endpoint.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { makeApiHandler } from '../api/make-api-handler.ts';
import { EmbeddedDirectory } from '../auth/embedded-directory.ts';
import { makeSessionTokens } from '../auth/session-tokens.ts';
import { createCognitoIdentityClient, createOrganizationsClient, createS3Client, createStsClient } from '../aws/clients.ts';
import { makeWebIdentityBroker } from '../broker/web-identity-broker.ts';
import { EXTENSION_ORIGINS } from '../http/cors.ts';
import { createLogger } from '../logging.ts';
import { makePublishedPolicySource } from '../policy/published-policy.ts';
import { createDemoOrganization } from './demo-organization.ts';
import { DEMO_USERS, type DemoUser } from './demo/users.ts';
import { startFederationStandIn } from './federation-stand-in.ts';
import { serveLambda } from './http-adapter.ts';
import { startMoto, type MotoServer } from './moto.ts';
import { pushAndReconcile, type LocalReconcileResult } from './push-and-reconcile.ts';

export const LOCAL_POLICY_BUCKET = 'switchyard-policy-local';
export const LOCAL_DEVELOPER_PROVIDER = 'login.switchyard.local';
export const DEMO_POLICY_DIR = fileURLToPath(new URL('./demo/policy', import.meta.url));
const DEMO_DIRECTORY_FILE = fileURLToPath(new URL('./demo/directory.json', import.meta.url));

export interface LocalStackOptions {
  /** Port of the HTTP API; 0 picks a free one. */
  apiPort?: number;
  /** Log level of the backend's structured logs (default: WARN, so the console stays readable). */
  logLevel?: string;
  policyDir?: string;
}

export interface LocalStack {
  apiUrl: string;
  federationUrl: string;
  moto: MotoServer;
  bucket: string;
  identityPoolId: string;
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
    const s3 = createS3Client(settings);
    await s3.send(new CreateBucketCommand({ Bucket: LOCAL_POLICY_BUCKET }));
    const cognitoIdentity = createCognitoIdentityClient(settings);
    const pool = await cognitoIdentity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'switchyard_local',
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: LOCAL_DEVELOPER_PROVIDER,
      }),
    );
    const identityPoolId = pool.IdentityPoolId;
    if (!identityPoolId) throw new Error('moto created no identity pool');

    const reconcile = await pushAndReconcile({
      settings,
      bucket: LOCAL_POLICY_BUCKET,
      identityPoolId,
      policyDir: options.policyDir ?? DEMO_POLICY_DIR,
      logger,
    });

    const federation = await startFederationStandIn(settings);
    stoppers.push(federation.close);

    const handler = makeApiHandler({
      logger,
      defaultRegion: settings.region,
      cors: EXTENSION_ORIGINS,
      directory: await EmbeddedDirectory.fromFile(DEMO_DIRECTORY_FILE),
      sessionTokens: makeSessionTokens(randomBytes(32), 8 * 3600),
      policy: makePublishedPolicySource({ s3, bucket: LOCAL_POLICY_BUCKET, maxAgeMs: 2000 }),
      broker: makeWebIdentityBroker({
        cognitoIdentity,
        sts: createStsClient(settings),
        identityPoolId,
        developerProviderName: LOCAL_DEVELOPER_PROVIDER,
        federationEndpoint: federation.federationEndpoint,
        issuer: 'Switchyard (local)',
        onIdentity: (pairing) => logger.info('web identity issued', pairing),
      }),
    });
    const api = await serveLambda(handler, options.apiPort ?? 0);
    stoppers.push(api.close);

    return {
      apiUrl: api.url,
      federationUrl: federation.federationEndpoint,
      moto,
      bucket: LOCAL_POLICY_BUCKET,
      identityPoolId,
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
