/** The reconciler's part of the composition root (see bucket.ts): the reconcile Lambda, `policy plan|push|validate`, tests. */
import type { CallCounter } from '../aws/call-counter.ts';
import {
  createDynamoDbClient,
  createIamClient,
  createOrganizationsClient,
  createSharedConnections,
  createSqsClient,
  createStsClient,
  type AwsSettings,
} from '../aws/clients.ts';
import { elevationEvents } from '../elevation/notifications.ts';
import { assembleNotifiers } from './notifiers.ts';
import { reconcileGrants, type ReconcileGrants } from '../elevation/grants-at-reconcile.ts';
import { RequestStore } from '../elevation/request-store.ts';
import type { AppLogger } from '../logging.ts';
import { DynamoDbStateTable } from '../state/dynamodb-state-table.ts';
import { discoverAccounts } from '../aws/organizations-accounts.ts';
import type { PolicyBucket } from '../bucket/policy-bucket.ts';
import type { ElevationConfig, PlanConfig, ReconcilerConfig } from '../config/config.ts';
import { createLogger } from '../logging.ts';
import type { MemberAccountClients } from '../reconcile/account-access.ts';
import type { PlanDeps, ReconcileBatching, ReconcileDeps } from '../reconcile/run.ts';
import { SqsBatchQueue } from '../reconcile/batch-queue.ts';
import type { Account } from '../../shared/policy/model.ts';
import { assemblePolicyBucket } from './bucket.ts';

/** What tests and the benchmark may add to or replace in an assembled reconciler. */
export type ReconcilerExtras = Partial<Omit<ReconcileDeps, 'bucket'>> & {
  bucket?: PolicyBucket;
  /** Static credentials (the local stack's moto); production uses the Lambda role's. */
  credentials?: AwsSettings['credentials'];
  /** The reconciler's own AWS settings in place of the configuration's (a proxy's endpoint, other credentials). */
  settings?: AwsSettings;
  /** Counts every AWS call by account and operation (tests, benchmark). */
  callCounter?: CallCounter;
};

export function assembleReconciler(config: ReconcilerConfig, extras: ReconcilerExtras = {}): ReconcileDeps {
  const { deps, settings } = planDeps(config, extras);
  const batching = extras.batching ?? assembleBatching(config, settings);
  return {
    ...deps,
    bucket: extras.bucket ?? assemblePolicyBucket(settings, config.policy, extras.callCounter),
    lockTtlMs: extras.lockTtlMs ?? config.lockTtlMs,
    ...(extras.lockWaitMs !== undefined ? { lockWaitMs: extras.lockWaitMs } : {}),
    ...(batching ? { batching } : {}),
  };
}

/** The queue of account batches and the table they count themselves done in, when both are configured. */
function assembleBatching(config: ReconcilerConfig, settings: AwsSettings): ReconcileBatching | undefined {
  if (!config.batches || !config.stateTable) return undefined;
  return {
    accounts: config.batches.accounts,
    queue: new SqsBatchQueue(createSqsClient(settings), config.batches.queueUrl),
    state: new DynamoDbStateTable(createDynamoDbClient(settings), config.stateTable),
  };
}

/** A planner of local folders: the bucket is used only when configured (for the retired-accounts state). */
export function assemblePlanner(config: PlanConfig, extras: ReconcilerExtras = {}): PlanDeps {
  const { deps, settings } = planDeps(config, extras);
  const bucket = extras.bucket ?? (config.policy ? assemblePolicyBucket(settings, config.policy, extras.callCounter) : undefined);
  return { ...deps, ...(bucket ? { bucket } : {}) };
}

/**
 * STS with the reconciler's own credentials and IAM with each access role's, both seen by the call counter.
 * A client per account and service, each with the SDK's retry budget of its own (a client shared by every
 * AssumeRole would spend one budget on all of them when STS throttles), and all over one pool of
 * connections: `concurrency` accounts at once need that many connections per service, whatever the
 * number of accounts.
 */
export function assembleMemberAccountClients(givenSettings: AwsSettings, concurrency: number, callCounter?: CallCounter): MemberAccountClients {
  const settings = { ...givenSettings, connections: givenSettings.connections ?? createSharedConnections(Math.max(concurrency, 1)) };
  return {
    sts: (accountId) => {
      const sts = createStsClient(settings);
      callCounter?.attach(sts, accountId);
      return sts;
    },
    iam: (accountId, credentials) => {
      const iam = createIamClient(settings, credentials);
      callCounter?.attach(iam, accountId);
      return iam;
    },
  };
}

/** The account inventory from AWS Organizations, read with these settings (one client per reading). */
export function assembleAccountDiscovery(settings: AwsSettings): () => Promise<Account[]> {
  return async () => {
    const client = createOrganizationsClient(settings);
    try {
      return await discoverAccounts(client);
    } finally {
      client.destroy();
    }
  };
}

function planDeps(config: PlanConfig, allExtras: ReconcilerExtras): { deps: Omit<PlanDeps, 'bucket'>; settings: AwsSettings } {
  const {
    credentials,
    bucket: _bucket,
    settings: givenSettings,
    callCounter,
    lockTtlMs: _lockTtlMs,
    lockWaitMs: _lockWaitMs,
    batching: _batching,
    ...extras
  } = allExtras;
  const settings = givenSettings ?? { ...config.aws, ...(credentials ? { credentials } : {}) };
  const logger = extras.logger ?? createLogger('switchyard-reconciler', config.logLevel);
  const deps = {
    identityPoolId: config.identityPoolId,
    developerProvider: config.developerProvider,
    accessRoleName: config.accessRoleName,
    concurrency: config.concurrency,
    deletionGuardShare: config.deletionGuardShare,
    partition: config.aws.partition,
    memberAccounts: assembleMemberAccountClients(settings, extras.concurrency ?? config.concurrency, callCounter),
    discoverAccounts: assembleAccountDiscovery(settings),
    ...(config.stateTable ? { grants: assembleReconcileGrants(settings, config.stateTable, config.elevation, logger) } : {}),
    ...extras,
    logger,
  };
  return { deps, settings };
}

/** Elevation's grants in the state table, as the reconciler sees them; every grant it ends is audited. */
function assembleReconcileGrants(settings: AwsSettings, stateTable: string, elevation: ElevationConfig, logger: AppLogger): ReconcileGrants {
  const store = new RequestStore(new DynamoDbStateTable(createDynamoDbClient(settings), stateTable), elevation.retentionSeconds);
  return reconcileGrants({ store, events: elevationEvents(logger, assembleNotifiers(elevation, settings)) });
}
