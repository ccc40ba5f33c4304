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
 *   SWITCHYARD_SESSION_SECRET           base64, at least 32 bytes: signs session tokens
 *   SWITCHYARD_SESSION_SECONDS          session token lifetime (default 28800)
 *   SWITCHYARD_DEVELOPER_PROVIDER       the identity pool's developer provider name (API, `switchyard doctor`)
 *   SWITCHYARD_DIRECTORY_FILE           embedded directory file (demo and tests)
 *   SWITCHYARD_FEDERATION_ENDPOINT      override of the partition's federation endpoint (the local stand-in; doctor then
 *                                       reports the sign-in step as not provable)
 *   SWITCHYARD_ALLOWED_ORIGINS          comma-separated extension origins allowed by CORS (default: any extension)
 *   SWITCHYARD_POLICY_CACHE_SECONDS     how long the API trusts its copy of the published policy (default 30)
 *   Sign-in, as deployed (names agreed with the sign-in work, which implements the directories; the
 *   CloudFormation templates in backend/deploy/templates/ set them):
 *   SWITCHYARD_SESSION_KEY_SECRET_ARN   Secrets Manager secret whose string signs session tokens (instead of SWITCHYARD_SESSION_SECRET)
 *   SWITCHYARD_DIRECTORY                embedded (default; needs SWITCHYARD_DIRECTORY_FILE), ldap or none (Cognito user pool only)
 *   SWITCHYARD_LDAP_URLS                ldaps:// URLs of the directory's servers, comma-separated, tried in order (ldap)
 *   SWITCHYARD_LDAP_CA_FILE             PEM bundle that signs the directory's certificates
 *   SWITCHYARD_LDAP_BASE_DN             where users and groups are searched, e.g. DC=corp,DC=example,DC=com (ldap)
 *   SWITCHYARD_LDAP_UPN_SUFFIXES        domains people may sign in with (user@corp.example.com), comma-separated
 *   SWITCHYARD_LDAP_NETBIOS_DOMAIN      NetBIOS domain people may sign in with (CORP\user)
 *   SWITCHYARD_LDAP_GROUPS              ad-nested (default: Active Directory's nested groups) or member
 *   SWITCHYARD_COGNITO_USER_POOL_ID     user pool whose tokens the API accepts
 *   SWITCHYARD_COGNITO_CLIENT_IDS       app clients of that pool whose tokens the API accepts, comma-separated
 *   SWITCHYARD_COGNITO_DOMAIN           the pool's hosted sign-in domain (https URL)
 */
import { z } from 'zod';
import { partitionOfRegion, type Partition } from '../../shared/console-urls.ts';
import { normalizePrefix } from '../bucket/layout.ts';

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

/** A comma-separated list, each entry matching `pattern`. */
const commaList = (pattern: RegExp, rule: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(pattern, rule)).min(1, rule))
    .optional();

const region = z
  .string()
  .regex(REGION, 'must be a region such as eu-west-1')
  .refine(
    (value) => !REGION.test(value) || partitionOfRegion(value) !== undefined,
    'must be a region of aws, aws-us-gov or aws-cn (the ISO partitions are not supported)',
  );

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
  // Sign-in as deployed (see the header): the templates set these.
  SWITCHYARD_SESSION_KEY_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, 'must be the ARN of a Secrets Manager secret')
    .optional(),
  SWITCHYARD_DIRECTORY: z.enum(['embedded', 'ldap', 'none'], 'must be embedded, ldap or none').optional(),
  SWITCHYARD_LDAP_URLS: commaList(/^ldaps?:\/\/[\w.-]+(:\d{1,5})?\/?$/, 'must list ldaps:// URLs such as ldaps://10.0.1.10:636, comma-separated'),
  SWITCHYARD_LDAP_CA_FILE: z.string().min(1).optional(),
  SWITCHYARD_LDAP_BASE_DN: z
    .string()
    .regex(/^[A-Za-z][\w-]*=[^,]+(,\s*[A-Za-z][\w-]*=[^,]+)*$/, 'must be a distinguished name such as DC=corp,DC=example,DC=com')
    .optional(),
  SWITCHYARD_LDAP_UPN_SUFFIXES: commaList(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i,
    'must list domain names, comma-separated',
  ),
  SWITCHYARD_LDAP_NETBIOS_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/, 'must be a NetBIOS domain name (up to 15 letters, digits or hyphens)')
    .optional(),
  SWITCHYARD_LDAP_GROUPS: z.enum(['ad-nested', 'member'], 'must be ad-nested or member').optional(),
  SWITCHYARD_COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/, 'must be a user pool id such as eu-west-1_AbCdEf123')
    .optional(),
  SWITCHYARD_COGNITO_CLIENT_IDS: commaList(/^[\w+]{1,128}$/, 'must list app client ids, comma-separated'),
  SWITCHYARD_COGNITO_DOMAIN: httpUrl('the user pool domain').optional(),
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
  /** The key that signs session tokens: given, or read from Secrets Manager at start. */
  sessionKey: { secret: Uint8Array } | { secretArn: string };
  sessionSeconds: number;
  /** Where passwords are checked: the embedded file (demo, tests), a directory over LDAP, or none (Cognito only). */
  directory: { kind: 'embedded'; file: string } | { kind: 'ldap' | 'none' };
  federationEndpoint?: string;
  allowedOrigins?: string[];
}

/** `required` may depend on what is set (e.g. the directory file only for the embedded directory). */
function parse(env: EnvInput, required: EnvName[] | ((present: EnvInput) => EnvName[])): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const problems: string[] = [];
  for (const name of typeof required === 'function' ? required(present) : required) {
    if (present[name] === undefined) problems.push(`${name} is not set`);
  }
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || 'environment'} ${issue.message}`);
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
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
  return { bucket: env.SWITCHYARD_POLICY_BUCKET ?? '', prefix: normalizePrefix(env.SWITCHYARD_POLICY_PREFIX) };
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
  const parsed = parse(env, (present) => [
    'SWITCHYARD_POLICY_BUCKET',
    'SWITCHYARD_IDENTITY_POOL_ID',
    'SWITCHYARD_DEVELOPER_PROVIDER',
    present.SWITCHYARD_SESSION_KEY_SECRET_ARN === undefined ? 'SWITCHYARD_SESSION_SECRET' : 'SWITCHYARD_SESSION_KEY_SECRET_ARN',
    ...((present.SWITCHYARD_DIRECTORY ?? 'embedded') === 'embedded' ? (['SWITCHYARD_DIRECTORY_FILE'] as const) : []),
    ...(present.SWITCHYARD_DIRECTORY === 'ldap' ? (['SWITCHYARD_LDAP_URLS', 'SWITCHYARD_LDAP_BASE_DN'] as const) : []),
  ]);
  const directoryKind = parsed.SWITCHYARD_DIRECTORY ?? 'embedded';
  return {
    aws: awsPart(parsed),
    logLevel: parsed.SWITCHYARD_LOG_LEVEL ?? 'INFO',
    policy: bucketPart(parsed),
    policyCacheMs: (parsed.SWITCHYARD_POLICY_CACHE_SECONDS ?? 30) * 1000,
    identityPoolId: parsed.SWITCHYARD_IDENTITY_POOL_ID ?? '',
    developerProvider: parsed.SWITCHYARD_DEVELOPER_PROVIDER ?? '',
    sessionKey: parsed.SWITCHYARD_SESSION_KEY_SECRET_ARN
      ? { secretArn: parsed.SWITCHYARD_SESSION_KEY_SECRET_ARN }
      : { secret: parsed.SWITCHYARD_SESSION_SECRET ?? new Uint8Array() },
    sessionSeconds: parsed.SWITCHYARD_SESSION_SECONDS ?? 8 * 3600,
    directory: directoryKind === 'embedded' ? { kind: 'embedded', file: parsed.SWITCHYARD_DIRECTORY_FILE ?? '' } : { kind: directoryKind },
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
