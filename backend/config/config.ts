/**
 * The backend's whole configuration, parsed once from the environment by one zod schema. Each
 * entry (API Lambda, reconcile Lambda, CLI, local stack) asks for the parts it needs; a bad or
 * missing variable is reported together with every other one, by name, never with its value.
 *
 * Variables:
 *   AWS_REGION / AWS_DEFAULT_REGION     region of the deployment (default us-east-1); decides the partition (aws, aws-us-gov, aws-cn)
 *   SWITCHYARD_AWS_ENDPOINT             one endpoint for every AWS service (moto locally; unset in production)
 *   SWITCHYARD_AWS_MAX_ATTEMPTS         attempts per AWS call, throttling retried with backoff (default 6)
 *   SWITCHYARD_LOG_LEVEL                DEBUG, INFO, WARN, ERROR, SILENT (default INFO)
 *   SWITCHYARD_POLICY_BUCKET            bucket of the policy files, reconcile state and published policy
 *   SWITCHYARD_POLICY_PREFIX            folder in that bucket (default: the bucket's root)
 *   SWITCHYARD_IDENTITY_POOL_ID         Cognito identity pool every managed role trusts (also `switchyard doctor`)
 *   SWITCHYARD_ACCESS_ROLE_NAME         role assumed in each member account (default SwitchyardReconcilerAccess)
 *   SWITCHYARD_RECONCILE_CONCURRENCY    member accounts worked on at once (default 10)
 *   SWITCHYARD_DELETION_GUARD_SHARE     largest share of managed roles one run may delete (default 0.25)
 *   SWITCHYARD_LOCK_TTL_SECONDS         reconcile lock expiry (default 900; the Lambda timeout must be shorter)
 *   SWITCHYARD_DEVELOPER_PROVIDER       the identity pool's developer provider name (API, `switchyard doctor`)
 *   SWITCHYARD_FEDERATION_ENDPOINT      override of the partition's federation endpoint (the local stand-in; doctor then
 *                                       reports the sign-in step as not provable)
 *   SWITCHYARD_ALLOWED_ORIGINS          comma-separated extension origins allowed by CORS (default: any extension)
 *   SWITCHYARD_POLICY_CACHE_SECONDS     how long the API trusts its copy of the published policy (default 30)
 *
 * Sign-in (the API; docs/sign-in.md). At least one way in: a directory, a Cognito user pool, or both.
 *   SWITCHYARD_DIRECTORY                embedded | ldap | none (default embedded)
 *   SWITCHYARD_DIRECTORY_FILE           embedded: the directory file (demo and tests)
 *   SWITCHYARD_LDAP_URLS                ldap: ldaps:// or ldap:// URLs, comma-separated, tried in order
 *   SWITCHYARD_LDAP_CA_FILE             ldap: PEM bundle the servers' certificates must chain to (default: Node's public CAs)
 *   SWITCHYARD_LDAP_STARTTLS            ldap: true to upgrade ldap:// URLs with StartTLS (default false)
 *   SWITCHYARD_LDAP_ALLOW_PLAIN         ldap: true to send passwords over ldap:// without TLS (warned at start; default false)
 *   SWITCHYARD_LDAP_BASE_DN             ldap: where people and groups are searched, e.g. DC=corp,DC=example,DC=com
 *   SWITCHYARD_LDAP_UPN_SUFFIXES        ldap: accepted UPN suffixes, comma-separated, the domain's DNS name first
 *   SWITCHYARD_LDAP_NETBIOS_DOMAIN      ldap: NetBIOS domain for "CORP\name" (unset: such names are refused)
 *   SWITCHYARD_LDAP_GROUPS              ldap: ad-nested (in-chain rule, AD) | member (direct members) (default ad-nested)
 *   SWITCHYARD_LDAP_TIMEOUT_MS          ldap: connect and per-operation timeout (default 2000)
 *   SWITCHYARD_LDAP_SERVICE_ACCOUNT     ldap: read-only account that looks people up again on refresh (UPN, DOMAIN\name or DN)
 *   SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN  ldap: Secrets Manager secret holding that account's password
 *   SWITCHYARD_COGNITO_USER_POOL_ID     cognito: the user pool, e.g. eu-west-1_AbCdEf123
 *   SWITCHYARD_COGNITO_CLIENT_IDS       cognito: app client ids accepted, comma-separated (the first is offered to the extension)
 *   SWITCHYARD_COGNITO_DOMAIN           cognito: the hosted UI's base URL (https://...)
 *   SWITCHYARD_COGNITO_SCOPES           cognito: OAuth scopes asked for, comma-separated (default openid,email,profile)
 *   SWITCHYARD_SESSION_KEY_SECRET_ARN   session keys from Secrets Manager (JSON key set, or one base64 key)
 *   SWITCHYARD_SESSION_KEY_PARAMETER    ... or from an SSM SecureString parameter (name or ARN)
 *   SWITCHYARD_SESSION_SECRET           ... or one base64 key of at least 32 bytes (npm start, tests); exactly one of the three
 *   SWITCHYARD_SESSION_SECONDS          how long a sign-in lasts: the refresh token's lifetime (default 28800)
 *   SWITCHYARD_ACCESS_TOKEN_SECONDS     access token lifetime: the bound on stale groups (default 600)
 */
import { z } from 'zod';
import { partitionOfRegion, type Partition } from '../../shared/console/partitions.ts';
import { parseDn } from '../../shared/policy/group-names.ts';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
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

const region = z
  .string()
  .regex(REGION, 'must be a region such as eu-west-1')
  .refine(
    (value) => !REGION.test(value) || partitionOfRegion(value) !== undefined,
    'must be a region of aws, aws-us-gov or aws-cn (the ISO partitions are not supported)',
  );

// --- sign-in (issue 8) ---
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

/** The one schema of every variable the backend reads. Empty strings count as unset. */
export const EnvSchema = z.object({
  AWS_REGION: region.optional(),
  AWS_DEFAULT_REGION: region.optional(),
  SWITCHYARD_AWS_ENDPOINT: httpUrl('the AWS endpoint').optional(),
  SWITCHYARD_AWS_MAX_ATTEMPTS: wholeNumber(1, 20).optional(),
  SWITCHYARD_LOG_LEVEL: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], 'must be DEBUG, INFO, WARN, ERROR or SILENT'))
    .optional(),
  SWITCHYARD_POLICY_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional(),
  SWITCHYARD_POLICY_PREFIX: z
    .string()
    .refine(
      (value) => !value.split('/').includes('..') && ![...value].some((char) => char < ' ' || char === '\u007f' || char === '\\'),
      'must be a plain folder name',
    )
    .optional(),
  SWITCHYARD_IDENTITY_POOL_ID: z.string().regex(IDENTITY_POOL_ID, 'must be an identity pool id such as eu-west-1:0f0e0d0c-...').optional(),
  SWITCHYARD_ACCESS_ROLE_NAME: z
    .string()
    .regex(/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, 'must be an IAM role name, optionally with a path')
    .optional(),
  SWITCHYARD_RECONCILE_CONCURRENCY: wholeNumber(1, 100).optional(),
  SWITCHYARD_DELETION_GUARD_SHARE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .optional(),
  SWITCHYARD_LOCK_TTL_SECONDS: wholeNumber(60, 86_400).optional(),
  SWITCHYARD_SESSION_SECRET: z
    .string()
    .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length >= 32, 'must be base64 of at least 32 bytes')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')))
    .optional(),
  SWITCHYARD_SESSION_SECONDS: wholeNumber(60, 12 * 3600).optional(),
  SWITCHYARD_DEVELOPER_PROVIDER: z
    .string()
    .regex(/^[\w.-]{1,128}$/, 'must be a developer provider name such as login.example.com')
    .optional(),
  SWITCHYARD_DIRECTORY_FILE: z.string().min(1).optional(),
  SWITCHYARD_FEDERATION_ENDPOINT: httpUrl('the federation endpoint').optional(),
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
    .optional(),
  SWITCHYARD_POLICY_CACHE_SECONDS: wholeNumber(0, 3600).optional(),
  // --- sign-in (issue 8) ---
  SWITCHYARD_DIRECTORY: z.enum(['embedded', 'ldap', 'none'], 'must be embedded, ldap or none').optional(),
  SWITCHYARD_LDAP_URLS: commaList(
    z
      .string()
      .regex(/^ldaps?:\/\/(\[[0-9a-fA-F:.]+\]|[\w.-]+)(:\d{1,5})?\/?$/, 'must list ldaps:// or ldap:// URLs (host and port only), comma-separated'),
  ).optional(),
  SWITCHYARD_LDAP_CA_FILE: z.string().min(1).optional(),
  SWITCHYARD_LDAP_STARTTLS: flag.optional(),
  SWITCHYARD_LDAP_ALLOW_PLAIN: flag.optional(),
  SWITCHYARD_LDAP_BASE_DN: z
    .string()
    .refine((value) => parseDn(value) !== undefined, 'must be a DN such as DC=corp,DC=example,DC=com')
    .optional(),
  SWITCHYARD_LDAP_UPN_SUFFIXES: commaList(z.string().regex(DNS_NAME, 'must list DNS names such as corp.example.com, comma-separated')).optional(),
  SWITCHYARD_LDAP_NETBIOS_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,15}$/, 'must be a NetBIOS domain name such as CORP')
    .optional(),
  SWITCHYARD_LDAP_GROUPS: z.enum(['ad-nested', 'member'], 'must be ad-nested or member').optional(),
  SWITCHYARD_LDAP_TIMEOUT_MS: wholeNumber(100, 30_000).optional(),
  SWITCHYARD_LDAP_SERVICE_ACCOUNT: z.string().min(1).max(512).optional(),
  SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+$/, 'must be a Secrets Manager secret ARN')
    .optional(),
  SWITCHYARD_COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/, 'must be a user pool id such as eu-west-1_AbCdEf123')
    .optional(),
  SWITCHYARD_COGNITO_CLIENT_IDS: commaList(z.string().regex(/^[\w+]{1,128}$/, 'must list app client ids, comma-separated')).optional(),
  SWITCHYARD_COGNITO_DOMAIN: hostedUiUrl.optional(),
  SWITCHYARD_COGNITO_SCOPES: commaList(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must list OAuth scopes, comma-separated')).optional(),
  SWITCHYARD_SESSION_KEY_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:[\w/+=.@-]+$/, 'must be a Secrets Manager secret ARN')
    .optional(),
  SWITCHYARD_SESSION_KEY_PARAMETER: z
    .string()
    .regex(/^(arn:aws[\w-]*:ssm:[\w-]+:\d{12}:parameter)?\/?[\w./-]{1,2048}$/, 'must be an SSM parameter name or ARN')
    .optional(),
  SWITCHYARD_ACCESS_TOKEN_SECONDS: wholeNumber(60, 3600).optional(),
});
type Env = z.infer<typeof EnvSchema>;
type EnvName = keyof Env;
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

export interface ReconcilerConfig {
  aws: AwsConfig;
  logLevel: string;
  policy: BucketConfig;
  identityPoolId: string;
  accessRoleName: string;
  concurrency: number;
  deletionGuardShare: number;
  lockTtlMs: number;
}

/** For `policy plan` of a local folder: the bucket is optional. */
export type PlanConfig = Omit<ReconcilerConfig, 'policy'> & { policy?: BucketConfig };

export interface ApiConfig {
  aws: AwsConfig;
  logLevel: string;
  policy: BucketConfig;
  policyCacheMs: number;
  identityPoolId: string;
  developerProvider: string;
  federationEndpoint?: string;
  allowedOrigins?: string[];
  signIn: SignInConfig;
}

// --- sign-in (issue 8) ---
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
}

function parse(env: EnvInput, required: EnvName[], rules: (env: Env) => string[] = () => []): Env {
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
  const problems: string[] = [];
  const missing = (names: EnvName[]) => names.filter((name) => env[name] === undefined).map((name) => `${name} is not set`);
  const directory = env.SWITCHYARD_DIRECTORY ?? 'embedded';
  const cognitoNames: EnvName[] = ['SWITCHYARD_COGNITO_USER_POOL_ID', 'SWITCHYARD_COGNITO_CLIENT_IDS', 'SWITCHYARD_COGNITO_DOMAIN'];
  const cognitoWanted = cognitoNames.some((name) => env[name] !== undefined);
  if (directory === 'embedded') problems.push(...missing(['SWITCHYARD_DIRECTORY_FILE']));
  if (directory === 'none' && !cognitoWanted) {
    problems.push('SWITCHYARD_DIRECTORY is none and no Cognito user pool is set (SWITCHYARD_COGNITO_*): nobody could sign in');
  }
  if (cognitoWanted) problems.push(...missing(cognitoNames));
  if (directory === 'ldap') {
    problems.push(...missing(['SWITCHYARD_LDAP_URLS', 'SWITCHYARD_LDAP_BASE_DN', 'SWITCHYARD_LDAP_UPN_SUFFIXES']));
    const startTls = env.SWITCHYARD_LDAP_STARTTLS ?? false;
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
  const keySources: EnvName[] = ['SWITCHYARD_SESSION_KEY_SECRET_ARN', 'SWITCHYARD_SESSION_KEY_PARAMETER', 'SWITCHYARD_SESSION_SECRET'];
  const keysSet = keySources.filter((name) => env[name] !== undefined);
  if (keysSet.length === 0) problems.push(`no session key: set ${keySources.join(', ')} (one of them)`);
  if (keysSet.length > 1) problems.push(`set only one session key source, not ${keysSet.join(' and ')}`);
  return problems;
}

function signInPart(env: Env): SignInConfig {
  const directory = env.SWITCHYARD_DIRECTORY ?? 'embedded';
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
            scopes: env.SWITCHYARD_COGNITO_SCOPES ?? ['openid', 'email', 'profile'],
          },
        }
      : {}),
    sessionKey,
    sessionSeconds: env.SWITCHYARD_SESSION_SECONDS ?? 8 * 3600,
    accessTokenSeconds: env.SWITCHYARD_ACCESS_TOKEN_SECONDS ?? 600,
  };
}

function ldapPart(env: Env): LdapConfig {
  return {
    urls: env.SWITCHYARD_LDAP_URLS ?? [],
    ...(env.SWITCHYARD_LDAP_CA_FILE ? { caFile: env.SWITCHYARD_LDAP_CA_FILE } : {}),
    startTls: env.SWITCHYARD_LDAP_STARTTLS ?? false,
    allowPlain: env.SWITCHYARD_LDAP_ALLOW_PLAIN ?? false,
    baseDn: env.SWITCHYARD_LDAP_BASE_DN ?? '',
    upnSuffixes: (env.SWITCHYARD_LDAP_UPN_SUFFIXES ?? []).map((suffix) => suffix.toLowerCase()),
    ...(env.SWITCHYARD_LDAP_NETBIOS_DOMAIN ? { netbiosDomain: env.SWITCHYARD_LDAP_NETBIOS_DOMAIN } : {}),
    groups: env.SWITCHYARD_LDAP_GROUPS ?? 'ad-nested',
    timeoutMs: env.SWITCHYARD_LDAP_TIMEOUT_MS ?? 2000,
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
    maxAttempts: env.SWITCHYARD_AWS_MAX_ATTEMPTS ?? 6,
  };
}

function reconcilerPart(env: Env): Omit<ReconcilerConfig, 'policy'> {
  return {
    aws: awsPart(env),
    logLevel: env.SWITCHYARD_LOG_LEVEL ?? 'INFO',
    identityPoolId: env.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    accessRoleName: env.SWITCHYARD_ACCESS_ROLE_NAME ?? 'SwitchyardReconcilerAccess',
    concurrency: env.SWITCHYARD_RECONCILE_CONCURRENCY ?? 10,
    deletionGuardShare: env.SWITCHYARD_DELETION_GUARD_SHARE ?? 0.25,
    lockTtlMs: (env.SWITCHYARD_LOCK_TTL_SECONDS ?? 900) * 1000,
  };
}

function bucketPart(env: Env): BucketConfig {
  return { bucket: env.SWITCHYARD_POLICY_BUCKET ?? '', prefix: env.SWITCHYARD_POLICY_PREFIX ?? '' };
}

export function reconcilerConfig(env: EnvInput): ReconcilerConfig {
  const parsed = parse(env, ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_IDENTITY_POOL_ID']);
  return { ...reconcilerPart(parsed), policy: bucketPart(parsed) };
}

export function planConfig(env: EnvInput): PlanConfig {
  const parsed = parse(env, ['SWITCHYARD_IDENTITY_POOL_ID']);
  return { ...reconcilerPart(parsed), ...(parsed.SWITCHYARD_POLICY_BUCKET ? { policy: bucketPart(parsed) } : {}) };
}

export function apiConfig(env: EnvInput): ApiConfig {
  const parsed = parse(env, ['SWITCHYARD_POLICY_BUCKET', 'SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER'], signInRules);
  return {
    aws: awsPart(parsed),
    logLevel: parsed.SWITCHYARD_LOG_LEVEL ?? 'INFO',
    policy: bucketPart(parsed),
    policyCacheMs: (parsed.SWITCHYARD_POLICY_CACHE_SECONDS ?? 30) * 1000,
    identityPoolId: parsed.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    developerProvider: parsed.SWITCHYARD_DEVELOPER_PROVIDER ?? '',
    signIn: signInPart(parsed),
    ...(parsed.SWITCHYARD_FEDERATION_ENDPOINT ? { federationEndpoint: parsed.SWITCHYARD_FEDERATION_ENDPOINT } : {}),
    ...(parsed.SWITCHYARD_ALLOWED_ORIGINS?.length ? { allowedOrigins: parsed.SWITCHYARD_ALLOWED_ORIGINS } : {}),
  };
}

// ---- The click (issue 7): `switchyard doctor` runs the broker's steps with the admin's own credentials. ----

/** What the broker needs: the API's configuration has it all; `switchyard doctor` needs no more. */
export interface DoctorConfig {
  aws: AwsConfig;
  identityPoolId: string;
  developerProvider: string;
  /** Unset: the partition's own federation endpoint (shared/console/partitions.ts). */
  federationEndpoint?: string;
}

export function doctorConfig(env: EnvInput): DoctorConfig {
  const parsed = parse(env, ['SWITCHYARD_IDENTITY_POOL_ID', 'SWITCHYARD_DEVELOPER_PROVIDER']);
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
