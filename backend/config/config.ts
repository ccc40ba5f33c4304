/**
 * The backend's whole configuration, parsed once from the environment by one zod schema. Each
 * entry (API Lambda, reconcile Lambda, CLI, local stack) asks for the parts it needs; a bad or
 * missing variable is reported together with every other one, by name, never with its value.
 * Every variable's meaning and default is in the schema below; docs/configuration.md is generated
 * from it (`npm run config:docs`; a unit test fails while the two differ).
 */
import { z } from 'zod';
import { awsRegion, isServedPartition, partitionOfRegion, PARTITIONS, type Partition } from '../../shared/console/partitions.ts';
import { parseDn } from '../../shared/policy/group-names.ts';

const IDENTITY_POOL_ID = /^[a-z]{2}(-gov)?-[a-z]+-\d:[0-9a-f-]{36}$/;

const wholeNumber = (min: number, max: number) => {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z.string().regex(/^\d+$/, rule).transform(Number).pipe(z.number().min(min, rule).max(max, rule));
};

const httpUrl = (what: string) =>
  z.string().refine((value) => {
    try {
      const parsed = new URL(value);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:';
    } catch {
      return false;
    }
  }, `must be an http(s) URL of ${what}`);

/** A region of a partition Switchyard serves, by the AWS SDK's partition data (shared/console/partitions.ts); the value is never quoted. */
const region = z.string().superRefine((value, context) => {
  const found = awsRegion(value);
  if (!found) context.addIssue({ code: 'custom', message: 'must be a region such as eu-west-1; no AWS partition names its regions like this' });
  else if (!isServedPartition(found.partition)) {
    context.addIssue({
      code: 'custom',
      message: `must be a region of ${PARTITIONS.join(', ').replace(/, (?=[^,]*$)/, ' or ')}; it names one of ${found.partition}, a partition Switchyard does not serve`,
    });
  }
});

// Sign-in variables: flags, comma-separated lists, the hosted UI's address.
const flag = z.enum(['true', 'false'], 'must be true or false').transform((value) => value === 'true');
const commaList = (rule: z.ZodString) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(rule).min(1));
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The hosted UI: https, or http on loopback (the local stand-in); no path. */
const hostedUiUrl = z.string().refine((value) => {
  try {
    const parsed = new URL(value);
    const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
    return secure && (parsed.pathname === '/' || parsed.pathname === '') && !parsed.search && !parsed.hash;
  } catch {
    return false;
  }
}, 'must be the hosted UI base URL, https://<domain> (no path)');

const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+$/;

/**
 * The one schema of every variable the backend reads, each with what it sets (describe) and its
 * default, the only one (a part that needs a value gets it from here, never a second `?? default`).
 * Empty strings count as unset.
 */
export const EnvSchema = z.object({
  // The deployment and AWS.
  AWS_REGION: region
    .optional()
    .describe('Region of the deployment (else AWS_DEFAULT_REGION, else us-east-1); decides the partition: aws, aws-us-gov or aws-cn.'),
  AWS_DEFAULT_REGION: region.optional().describe('The region when AWS_REGION is unset.'),
  SWITCHYARD_AWS_ENDPOINT: httpUrl('the AWS endpoint')
    .optional()
    .describe('One endpoint for every AWS service: moto locally and in tests; unset in production.'),
  SWITCHYARD_AWS_MAX_ATTEMPTS: wholeNumber(1, 20)
    .default(6)
    .describe('Attempts per AWS call, the first included; throttling is retried with backoff.'),
  SWITCHYARD_LOG_LEVEL: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], 'must be DEBUG, INFO, WARN, ERROR or SILENT'))
    .default('INFO')
    .describe('Level of the structured logs: DEBUG, INFO, WARN, ERROR or SILENT (TRACE and CRITICAL too).'),
  SWITCHYARD_POLICY_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional()
    .describe('The policy bucket: the pushed policy files, the reconcile state and report, the policy published for the API.'),
  SWITCHYARD_POLICY_PREFIX: z
    .string()
    .refine(
      (value) => !value.split('/').includes('..') && ![...value].some((char) => char < ' ' || char === '\u007f' || char === '\\'),
      'must be a plain folder name',
    )
    .default('')
    .describe("Folder in the policy bucket that holds all of Switchyard's objects (unset: the bucket's root)."),
  SWITCHYARD_STATE_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name')
    .optional()
    .describe(
      'The state table (DynamoDB): what every API instance must share and write under a condition (backend/state/layout.ts lists its items).',
    ),
  SWITCHYARD_IDENTITY_POOL_ID: z
    .string()
    .regex(IDENTITY_POOL_ID, 'must be an identity pool id such as eu-west-1:0f0e0d0c-...')
    .optional()
    .describe('The Cognito identity pool every managed role trusts (reconciler, API, `switchyard doctor`).'),
  // The reconciler.
  SWITCHYARD_ACCESS_ROLE_NAME: z
    .string()
    .regex(/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, 'must be an IAM role name, optionally with a path')
    .default('SwitchyardReconcilerAccess')
    .describe(
      'The role the reconciler assumes in each member account (the member template creates it), optionally with its path; `policy plan` in CI sets the plan reader role, SwitchyardPolicyPlanReader.',
    ),
  SWITCHYARD_RECONCILE_CONCURRENCY: wholeNumber(1, 100)
    .default(25)
    .describe(
      "Member accounts a reconcile works on at once. At 25 a first run over 10,000 accounts x 10 roles waits about 350 s on AWS (at 10: 880 s, past the timeout), and AssumeRole stays under STS's 600 a second (docs/scale.md).",
    ),
  SWITCHYARD_DELETION_GUARD_SHARE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .default(0.25)
    .describe("Largest share of the managed roles one run may delete, unless the policy's settings allow mass deletion."),
  SWITCHYARD_LOCK_TTL_SECONDS: wholeNumber(60, 86_400)
    .default(900)
    .describe("Seconds after which the reconcile lock counts as abandoned; the reconcile Lambda's timeout must be shorter."),
  SWITCHYARD_RECONCILE_BATCH_QUEUE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an SQS queue URL' })
    .optional()
    .describe(
      'The SQS queue a reconcile over more than SWITCHYARD_RECONCILE_BATCH_ACCOUNTS accounts puts its account batches on; the reconcile Lambda consumes it (docs/architecture.md). Needs SWITCHYARD_STATE_TABLE. Unset: every run is one invocation.',
    ),
  SWITCHYARD_RECONCILE_BATCH_DLQ_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w-]{1,80}$/, 'must be an SQS queue ARN')
    .optional()
    .describe("The batch queue's dead-letter queue: a batch delivered from it failed every attempt, and its accounts are reported failed."),
  SWITCHYARD_RECONCILE_BATCH_ACCOUNTS: wholeNumber(1, 10_000)
    .default(1000)
    .describe(
      'Accounts in one batch of a reconcile split across invocations: at 1,000, creating 10 roles in each account of a batch fits one invocation with room (docs/scale.md).',
    ),
  // The API and the console broker.
  SWITCHYARD_DEVELOPER_PROVIDER: z
    .string()
    .regex(/^[\w.-]{1,128}$/, 'must be a developer provider name such as login.example.com')
    .optional()
    .describe(
      "The identity pool's developer provider name: the API mints tokens as it, and every managed role's trust policy names it (API, reconcile Lambda, `policy plan` and `push`, `switchyard doctor`).",
    ),
  SWITCHYARD_FEDERATION_ENDPOINT: httpUrl('the federation endpoint')
    .optional()
    .describe(
      "Replaces the partition's federation endpoint (the local stand-in); `switchyard doctor` then reports the sign-in step as not provable.",
    ),
  SWITCHYARD_ALLOWED_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(chrome-extension|moz-extension):\/\/([\w-]+|\*)$/,
            'must list extension origins such as chrome-extension://<id>, comma-separated',
          ),
      ),
    )
    .optional()
    .describe('Extension origins CORS answers, comma-separated, such as chrome-extension://<id> (unset: any extension).'),
  SWITCHYARD_POLICY_CACHE_SECONDS: wholeNumber(0, 3600)
    .default(30)
    .describe('How long the API trusts its copy of the published policy before it asks again.'),
  // Sign-in (the API; docs/sign-in.md): a directory, a Cognito user pool, or both.
  SWITCHYARD_DIRECTORY: z
    .enum(['embedded', 'ldap', 'none'], 'must be embedded, ldap or none')
    .default('embedded')
    .describe('Who may sign in with a password: embedded (a directory file: the demo and tests), ldap, or none (Cognito only).'),
  SWITCHYARD_DIRECTORY_FILE: z.string().min(1).optional().describe('embedded: the directory file.'),
  SWITCHYARD_LDAP_URLS: commaList(
    z
      .string()
      .regex(/^ldaps?:\/\/(\[[0-9a-fA-F:.]+\]|[\w.-]+)(:\d{1,5})?\/?$/, 'must list ldaps:// or ldap:// URLs (host and port only), comma-separated'),
  )
    .optional()
    .describe('ldap: ldaps:// or ldap:// URLs, comma-separated, tried in order.'),
  SWITCHYARD_LDAP_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("ldap: PEM bundle the servers' certificates must chain to (unset: Node's public CAs)."),
  SWITCHYARD_LDAP_STARTTLS: flag.default(false).describe('ldap: true to upgrade ldap:// URLs with StartTLS.'),
  SWITCHYARD_LDAP_ALLOW_PLAIN: flag.default(false).describe('ldap: true to send passwords over ldap:// without TLS (warned at every start).'),
  SWITCHYARD_LDAP_BASE_DN: z
    .string()
    .refine((value) => parseDn(value) !== undefined, 'must be a DN such as DC=corp,DC=example,DC=com')
    .optional()
    .describe('ldap: where people and groups are searched, such as DC=corp,DC=example,DC=com.'),
  SWITCHYARD_LDAP_UPN_SUFFIXES: commaList(z.string().regex(DNS_NAME, 'must list DNS names such as corp.example.com, comma-separated'))
    .optional()
    .describe("ldap: the UPN suffixes people may type, comma-separated, the domain's DNS name first."),
  SWITCHYARD_LDAP_NETBIOS_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,15}$/, 'must be a NetBIOS domain name such as CORP')
    .optional()
    .describe('ldap: the NetBIOS domain for "CORP\\name" (unset: such names are refused).'),
  SWITCHYARD_LDAP_GROUPS: z
    .enum(['ad-nested', 'member'], 'must be ad-nested or member')
    .default('ad-nested')
    .describe("ldap: ad-nested (every group, nested ones included, by AD's in-chain rule) or member (direct members only)."),
  SWITCHYARD_LDAP_TIMEOUT_MS: wholeNumber(100, 30_000).default(2000).describe('ldap: connect and per-operation timeout, in milliseconds.'),
  SWITCHYARD_LDAP_SERVICE_ACCOUNT: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('ldap: read-only account that looks people up again on refresh (UPN, DOMAIN\\name or DN).'),
  SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN: z
    .string()
    .regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')
    .optional()
    .describe("ldap: the Secrets Manager secret holding that account's password."),
  SWITCHYARD_COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/, 'must be a user pool id such as eu-west-1_AbCdEf123')
    .optional()
    .describe('cognito: the user pool, such as eu-west-1_AbCdEf123.'),
  SWITCHYARD_COGNITO_CLIENT_IDS: commaList(z.string().regex(/^[\w+]{1,128}$/, 'must list app client ids, comma-separated'))
    .optional()
    .describe('cognito: app client ids accepted, comma-separated; the first is offered to the extension.'),
  SWITCHYARD_COGNITO_DOMAIN: hostedUiUrl.optional().describe("cognito: the hosted UI's base URL (https://...)."),
  SWITCHYARD_COGNITO_SCOPES: commaList(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must list OAuth scopes, comma-separated'))
    .default(['openid', 'email', 'profile'])
    .describe('cognito: the OAuth scopes asked for, comma-separated.'),
  SWITCHYARD_SESSION_KEY_SECRET_ARN: z
    .string()
    .regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')
    .optional()
    .describe('Session keys from Secrets Manager: a JSON key set, or one base64 key. Exactly one of the three session key variables.'),
  SWITCHYARD_SESSION_KEY_PARAMETER: z
    .string()
    .regex(/^(arn:aws[\w-]*:ssm:[\w-]+:\d{12}:parameter)?\/?[\w./-]{1,2048}$/, 'must be an SSM parameter name or ARN')
    .optional()
    .describe('... or from an SSM SecureString parameter (name or ARN).'),
  SWITCHYARD_SESSION_SECRET: z
    .string()
    .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length >= 32, 'must be base64 of at least 32 bytes')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')))
    .optional()
    .describe('... or one base64 key of at least 32 bytes (`npm start`, tests).'),
  SWITCHYARD_SESSION_SECONDS: wholeNumber(60, 12 * 3600)
    .default(8 * 3600)
    .describe("How long a sign-in lasts: the refresh token's lifetime, in seconds."),
  SWITCHYARD_ACCESS_TOKEN_SECONDS: wholeNumber(60, 3600)
    .default(600)
    .describe('How long an access token lasts, in seconds: the bound on a removed group still working.'),
  SWITCHYARD_REFRESH_REUSE_GRACE_SECONDS: wholeNumber(0, 120)
    .default(30)
    .describe(
      'Seconds during which the refresh token traded last still gets the same next one, for the client (address and user agent) that traded it: two refreshes at once, or a retry after a lost answer. Any other reuse ends the sign-in.',
    ),
  SWITCHYARD_SIGN_IN_ADDRESS_FREE_FAILURES: wholeNumber(1, 100_000)
    .default(50)
    .describe(
      'Failed password sign-ins from one source address, over 15 minutes, before each further one makes the next attempt from it wait (5 s, doubling). Raise it when many people share one address (NAT).',
    ),
  // Elevation (docs/elevation.md): requests for eligible pairs, and their notifications.
  SWITCHYARD_REQUEST_RETENTION_DAYS: wholeNumber(1, 3650)
    .default(30)
    .describe(
      'Days a settled elevation request (ended, denied, cancelled, expired, revoked) stays readable in the state table; the audit log keeps every change.',
    ),
  SWITCHYARD_REQUESTS_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}$/, 'must be an SNS topic ARN')
    .optional()
    .describe('SNS topic every change of an elevation request is published to, as JSON (unset: none).'),
  SWITCHYARD_REQUESTS_WEBHOOK_SECRET_ARN: z
    .string()
    .regex(SECRET_ARN, 'must be a Secrets Manager secret ARN')
    .optional()
    .describe(
      'Secrets Manager secret holding a webhook URL (Slack-compatible) that gets a message for every change of an elevation request (unset: none).',
    ),
  SWITCHYARD_REPORTS_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}$/, 'must be an SNS topic ARN')
    .optional()
    .describe('SNS topic the scheduled access report publishes its notice to: the files it wrote and their counts, no rows (unset: none).'),
});
type Env = z.infer<typeof EnvSchema>;
export type EnvName = keyof Env;

/** What each entry cannot start without (sign-in adds its own rules: signInRules). */
export const REQUIRED_BY = {
  'reconcile Lambda, `policy push`': ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER'],
  '`policy plan`': ['SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER'],
  'API Lambda': ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER', 'SWITCHYARD_STATE_TABLE'],
  '`doctor`': ['SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER'],
  '`access report`': ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_STATE_TABLE'],
  'access report Lambda': ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_STATE_TABLE'],
} as const satisfies Record<string, readonly EnvName[]>;
export type EnvInput = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Switchyard configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export interface AwsConfig {
  region: string;
  partition: Partition;
  endpoint?: string;
  maxAttempts: number;
}

export interface BucketConfig {
  bucket: string;
  /** The folder as configured ("" for the bucket's root); backend/bucket/layout.ts makes every key under it. */
  prefix: string;
}

/** Elevation's settings, for the API and the reconciler (which ends grants a push makes ineligible). */
export interface ElevationConfig {
  retentionSeconds: number;
  topicArn?: string;
  webhookSecretArn?: string;
}

export interface ReconcilerConfig {
  aws: AwsConfig;
  /** The state table, to read revoked grants (whose sessions it denies) and end grants a push makes ineligible; unset: neither. */
  stateTable?: string;
  elevation: ElevationConfig;
  logLevel: string;
  policy: BucketConfig;
  identityPoolId: string;
  /** The identity pool's developer provider: every managed role's trust policy names it. */
  developerProvider: string;
  accessRoleName: string;
  concurrency: number;
  deletionGuardShare: number;
  lockTtlMs: number;
  /** Runs over more accounts than one batch go to this queue in batches (set with the queue URL and the state table). */
  batches?: { queueUrl: string; deadLetterQueueArn?: string; accounts: number };
}

/** For `policy plan` of a local folder: the bucket is optional. */
export type PlanConfig = Omit<ReconcilerConfig, 'policy'> & { policy?: BucketConfig };

export interface ApiConfig {
  aws: AwsConfig;
  logLevel: string;
  policy: BucketConfig;
  policyCacheMs: number;
  /** The state table's name (DynamoDB). */
  stateTable: string;
  elevation: ElevationConfig;
  identityPoolId: string;
  developerProvider: string;
  federationEndpoint?: string;
  allowedOrigins?: string[];
  signIn: SignInConfig;
}

export interface LdapConfig {
  urls: string[];
  caFile?: string;
  startTls: boolean;
  allowPlain: boolean;
  baseDn: string;
  upnSuffixes: string[];
  netbiosDomain?: string;
  groups: 'ad-nested' | 'member';
  timeoutMs: number;
  serviceAccount?: { bindName: string; passwordSecretArn: string };
}

export interface CognitoPoolConfig {
  userPoolId: string;
  clientIds: string[];
  domain: string;
  scopes: string[];
}

export type DirectoryConfig = { kind: 'embedded'; file: string } | { kind: 'ldap'; ldap: LdapConfig } | { kind: 'none' };
export type SessionKeyConfig =
  { kind: 'secret'; secret: Uint8Array } | { kind: 'secrets-manager'; secretId: string } | { kind: 'ssm'; parameter: string };

export interface SignInConfig {
  directory: DirectoryConfig;
  cognito?: CognitoPoolConfig;
  sessionKey: SessionKeyConfig;
  /** How long a sign-in lasts (the refresh token). */
  sessionSeconds: number;
  /** How long an access token lasts: the bound on a removed group still working. */
  accessTokenSeconds: number;
  /** How long the refresh token traded last stays good for the client that traded it. */
  refreshReuseGraceSeconds: number;
  /** Failed sign-ins from one address before waits begin. */
  addressFreeFailures: number;
}

function parse(env: EnvInput, required: readonly EnvName[], rules: (env: Env) => string[] = () => []): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const problems: string[] = [];
  for (const name of required) {
    if (present[name] === undefined) problems.push(`${name} is not set`);
  }
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || 'environment'} ${issue.message}`);
  } else {
    problems.push(...rules(result.data));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** The rules between sign-in variables: what each directory needs, TLS, one session key source. */
function signInRules(env: Env): string[] {
  return [...directoryRules(env), ...sessionKeyRules(env)];
}

/** What each directory needs, and TLS for LDAP; `use` says what a missing directory and user pool leave undone. */
function directoryRules(
  env: Env,
  cognitoNames: EnvName[] = ['SWITCHYARD_COGNITO_USER_POOL_ID', 'SWITCHYARD_COGNITO_CLIENT_IDS', 'SWITCHYARD_COGNITO_DOMAIN'],
  use = 'nobody could sign in',
): string[] {
  const problems: string[] = [];
  const missing = (names: EnvName[]) => names.filter((name) => env[name] === undefined).map((name) => `${name} is not set`);
  const directory = env.SWITCHYARD_DIRECTORY;
  const cognitoWanted = cognitoNames.some((name) => env[name] !== undefined);
  if (directory === 'embedded') problems.push(...missing(['SWITCHYARD_DIRECTORY_FILE']));
  if (directory === 'none' && !cognitoWanted) {
    problems.push(`SWITCHYARD_DIRECTORY is none and no Cognito user pool is set (SWITCHYARD_COGNITO_*): ${use}`);
  }
  if (cognitoWanted) problems.push(...missing(cognitoNames));
  if (directory === 'ldap') {
    problems.push(...missing(['SWITCHYARD_LDAP_URLS', 'SWITCHYARD_LDAP_BASE_DN', 'SWITCHYARD_LDAP_UPN_SUFFIXES']));
    const startTls = env.SWITCHYARD_LDAP_STARTTLS;
    for (const url of env.SWITCHYARD_LDAP_URLS ?? []) {
      if (url.startsWith('ldaps://') && startTls) {
        problems.push(
          `SWITCHYARD_LDAP_STARTTLS is true but SWITCHYARD_LDAP_URLS names ${url}: StartTLS upgrades ldap:// URLs; ldaps:// is TLS already`,
        );
      }
      if (url.startsWith('ldap://') && !startTls && !env.SWITCHYARD_LDAP_ALLOW_PLAIN) {
        problems.push(
          `SWITCHYARD_LDAP_URLS names ${url} without TLS: set SWITCHYARD_LDAP_STARTTLS=true, use ldaps://, or (passwords then cross the network in clear text) SWITCHYARD_LDAP_ALLOW_PLAIN=true`,
        );
      }
    }
    if ((env.SWITCHYARD_LDAP_SERVICE_ACCOUNT === undefined) !== (env.SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN === undefined)) {
      problems.push('SWITCHYARD_LDAP_SERVICE_ACCOUNT and SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN go together: set both or neither');
    }
  }
  return problems;
}

function sessionKeyRules(env: Env): string[] {
  const problems: string[] = [];
  const keySources: EnvName[] = ['SWITCHYARD_SESSION_KEY_SECRET_ARN', 'SWITCHYARD_SESSION_KEY_PARAMETER', 'SWITCHYARD_SESSION_SECRET'];
  const keysSet = keySources.filter((name) => env[name] !== undefined);
  if (keysSet.length === 0) problems.push(`no session key: set ${keySources.join(', ')} (one of them)`);
  if (keysSet.length > 1) problems.push(`set only one session key source, not ${keysSet.join(' and ')}`);
  return problems;
}

function signInPart(env: Env): SignInConfig {
  const directory = env.SWITCHYARD_DIRECTORY;
  const sessionKey: SessionKeyConfig = env.SWITCHYARD_SESSION_KEY_SECRET_ARN
    ? { kind: 'secrets-manager', secretId: env.SWITCHYARD_SESSION_KEY_SECRET_ARN }
    : env.SWITCHYARD_SESSION_KEY_PARAMETER
      ? { kind: 'ssm', parameter: env.SWITCHYARD_SESSION_KEY_PARAMETER }
      : { kind: 'secret', secret: env.SWITCHYARD_SESSION_SECRET ?? new Uint8Array() };
  return {
    directory:
      directory === 'embedded'
        ? { kind: 'embedded', file: env.SWITCHYARD_DIRECTORY_FILE ?? '' }
        : directory === 'ldap'
          ? { kind: 'ldap', ldap: ldapPart(env) }
          : { kind: 'none' },
    ...(env.SWITCHYARD_COGNITO_USER_POOL_ID
      ? {
          cognito: {
            userPoolId: env.SWITCHYARD_COGNITO_USER_POOL_ID,
            clientIds: env.SWITCHYARD_COGNITO_CLIENT_IDS ?? [],
            domain: (env.SWITCHYARD_COGNITO_DOMAIN ?? '').replace(/\/+$/, ''),
            scopes: env.SWITCHYARD_COGNITO_SCOPES,
          },
        }
      : {}),
    sessionKey,
    sessionSeconds: env.SWITCHYARD_SESSION_SECONDS,
    accessTokenSeconds: env.SWITCHYARD_ACCESS_TOKEN_SECONDS,
    refreshReuseGraceSeconds: env.SWITCHYARD_REFRESH_REUSE_GRACE_SECONDS,
    addressFreeFailures: env.SWITCHYARD_SIGN_IN_ADDRESS_FREE_FAILURES,
  };
}

function ldapPart(env: Env): LdapConfig {
  return {
    urls: env.SWITCHYARD_LDAP_URLS ?? [],
    ...(env.SWITCHYARD_LDAP_CA_FILE ? { caFile: env.SWITCHYARD_LDAP_CA_FILE } : {}),
    startTls: env.SWITCHYARD_LDAP_STARTTLS,
    allowPlain: env.SWITCHYARD_LDAP_ALLOW_PLAIN,
    baseDn: env.SWITCHYARD_LDAP_BASE_DN ?? '',
    upnSuffixes: (env.SWITCHYARD_LDAP_UPN_SUFFIXES ?? []).map((suffix) => suffix.toLowerCase()),
    ...(env.SWITCHYARD_LDAP_NETBIOS_DOMAIN ? { netbiosDomain: env.SWITCHYARD_LDAP_NETBIOS_DOMAIN } : {}),
    groups: env.SWITCHYARD_LDAP_GROUPS,
    timeoutMs: env.SWITCHYARD_LDAP_TIMEOUT_MS,
    ...(env.SWITCHYARD_LDAP_SERVICE_ACCOUNT && env.SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN
      ? { serviceAccount: { bindName: env.SWITCHYARD_LDAP_SERVICE_ACCOUNT, passwordSecretArn: env.SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN } }
      : {}),
  };
}

function awsPart(env: Env): AwsConfig {
  const regionName = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    region: regionName,
    partition: partitionOfRegion(regionName) ?? 'aws',
    ...(env.SWITCHYARD_AWS_ENDPOINT ? { endpoint: env.SWITCHYARD_AWS_ENDPOINT } : {}),
    maxAttempts: env.SWITCHYARD_AWS_MAX_ATTEMPTS,
  };
}

function elevationPart(env: Env): ElevationConfig {
  return {
    retentionSeconds: env.SWITCHYARD_REQUEST_RETENTION_DAYS * 86_400,
    ...(env.SWITCHYARD_REQUESTS_TOPIC_ARN ? { topicArn: env.SWITCHYARD_REQUESTS_TOPIC_ARN } : {}),
    ...(env.SWITCHYARD_REQUESTS_WEBHOOK_SECRET_ARN ? { webhookSecretArn: env.SWITCHYARD_REQUESTS_WEBHOOK_SECRET_ARN } : {}),
  };
}

function reconcilerPart(env: Env): Omit<ReconcilerConfig, 'policy'> {
  return {
    aws: awsPart(env),
    ...(env.SWITCHYARD_STATE_TABLE ? { stateTable: env.SWITCHYARD_STATE_TABLE } : {}),
    elevation: elevationPart(env),
    logLevel: env.SWITCHYARD_LOG_LEVEL,
    identityPoolId: env.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    developerProvider: env.SWITCHYARD_DEVELOPER_PROVIDER ?? '',
    accessRoleName: env.SWITCHYARD_ACCESS_ROLE_NAME,
    concurrency: env.SWITCHYARD_RECONCILE_CONCURRENCY,
    deletionGuardShare: env.SWITCHYARD_DELETION_GUARD_SHARE,
    lockTtlMs: env.SWITCHYARD_LOCK_TTL_SECONDS * 1000,
    ...(env.SWITCHYARD_RECONCILE_BATCH_QUEUE_URL
      ? {
          batches: {
            queueUrl: env.SWITCHYARD_RECONCILE_BATCH_QUEUE_URL,
            ...(env.SWITCHYARD_RECONCILE_BATCH_DLQ_ARN ? { deadLetterQueueArn: env.SWITCHYARD_RECONCILE_BATCH_DLQ_ARN } : {}),
            accounts: env.SWITCHYARD_RECONCILE_BATCH_ACCOUNTS,
          },
        }
      : {}),
  };
}

/** A batch queue counts its batches done in the state table. */
function batchRules(env: Env): string[] {
  return env.SWITCHYARD_RECONCILE_BATCH_QUEUE_URL && !env.SWITCHYARD_STATE_TABLE
    ? ['SWITCHYARD_RECONCILE_BATCH_QUEUE_URL needs SWITCHYARD_STATE_TABLE: the batches count themselves done there']
    : [];
}

function bucketPart(env: Env): BucketConfig {
  return { bucket: env.SWITCHYARD_POLICY_BUCKET ?? '', prefix: env.SWITCHYARD_POLICY_PREFIX };
}

export function reconcilerConfig(env: EnvInput): ReconcilerConfig {
  const parsed = parse(env, REQUIRED_BY['reconcile Lambda, `policy push`'], batchRules);
  return { ...reconcilerPart(parsed), policy: bucketPart(parsed) };
}

export function planConfig(env: EnvInput): PlanConfig {
  const parsed = parse(env, REQUIRED_BY['`policy plan`']);
  return { ...reconcilerPart(parsed), ...(parsed.SWITCHYARD_POLICY_BUCKET ? { policy: bucketPart(parsed) } : {}) };
}

export function apiConfig(env: EnvInput): ApiConfig {
  const parsed = parse(env, REQUIRED_BY['API Lambda'], signInRules);
  return {
    aws: awsPart(parsed),
    logLevel: parsed.SWITCHYARD_LOG_LEVEL,
    policy: bucketPart(parsed),
    policyCacheMs: parsed.SWITCHYARD_POLICY_CACHE_SECONDS * 1000,
    stateTable: parsed.SWITCHYARD_STATE_TABLE ?? '',
    elevation: elevationPart(parsed),
    identityPoolId: parsed.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    developerProvider: parsed.SWITCHYARD_DEVELOPER_PROVIDER ?? '',
    signIn: signInPart(parsed),
    ...(parsed.SWITCHYARD_FEDERATION_ENDPOINT ? { federationEndpoint: parsed.SWITCHYARD_FEDERATION_ENDPOINT } : {}),
    ...(parsed.SWITCHYARD_ALLOWED_ORIGINS?.length ? { allowedOrigins: parsed.SWITCHYARD_ALLOWED_ORIGINS } : {}),
  };
}

/** Where `policy plan --people` reads groups' members: the sign-in directory and user pool. */
export interface GroupMembersConfig {
  aws: AwsConfig;
  directory: DirectoryConfig;
  cognitoUserPoolId?: string;
}

/** The directory variables as sign-in reads them; LDAP needs the service account, which searches for the members. */
export function groupMembersConfig(env: EnvInput): GroupMembersConfig {
  const parsed = parse(env, [], (valid) => {
    const problems = directoryRules(valid, ['SWITCHYARD_COGNITO_USER_POOL_ID'], "no directory lists the groups' members");
    if (valid.SWITCHYARD_DIRECTORY === 'ldap' && valid.SWITCHYARD_LDAP_SERVICE_ACCOUNT === undefined) {
      problems.push('SWITCHYARD_LDAP_SERVICE_ACCOUNT is not set: the directory is searched for group members as that read-only account');
    }
    return problems;
  });
  const signIn = signInPart(parsed);
  return {
    aws: awsPart(parsed),
    directory: signIn.directory,
    ...(signIn.cognito ? { cognitoUserPoolId: signIn.cognito.userPoolId } : {}),
  };
}

/** `switchyard access report`: the published policy, the directory's groups and the state table's last uses. */
export interface AccessReportConfig extends GroupMembersConfig {
  policy: BucketConfig;
  stateTable: string;
}

export function accessReportConfig(env: EnvInput): AccessReportConfig {
  const members = groupMembersConfig(env);
  const parsed = parse(env, REQUIRED_BY['`access report`']);
  return { ...members, policy: bucketPart(parsed), stateTable: parsed.SWITCHYARD_STATE_TABLE ?? '' };
}

/** The scheduled access report (the access report Lambda): the command's sources, and where its notice goes. */
export interface ScheduledReportConfig extends AccessReportConfig {
  logLevel: string;
  reportsTopicArn?: string;
}

export function scheduledReportConfig(env: EnvInput): ScheduledReportConfig {
  const report = accessReportConfig(env);
  const parsed = parse(env, REQUIRED_BY['access report Lambda']);
  return {
    ...report,
    logLevel: parsed.SWITCHYARD_LOG_LEVEL,
    ...(parsed.SWITCHYARD_REPORTS_TOPIC_ARN ? { reportsTopicArn: parsed.SWITCHYARD_REPORTS_TOPIC_ARN } : {}),
  };
}

/** What the broker needs: the API's configuration has it all; `switchyard doctor` needs no more. */
export interface DoctorConfig {
  aws: AwsConfig;
  identityPoolId: string;
  developerProvider: string;
  /** Unset: the partition's own federation endpoint (shared/console/partitions.ts). */
  federationEndpoint?: string;
}

export function doctorConfig(env: EnvInput): DoctorConfig {
  const parsed = parse(env, REQUIRED_BY['`doctor`']);
  return {
    aws: awsPart(parsed),
    identityPoolId: parsed.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    developerProvider: parsed.SWITCHYARD_DEVELOPER_PROVIDER ?? '',
    ...(parsed.SWITCHYARD_FEDERATION_ENDPOINT ? { federationEndpoint: parsed.SWITCHYARD_FEDERATION_ENDPOINT } : {}),
  };
}

/** The AWS part alone (CLI commands that only read Organizations). */
export function awsConfig(env: EnvInput): AwsConfig {
  return awsPart(parse(env, []));
}
