/**
 * From an AWS SDK command a Lambda's code can send to the IAM actions it needs, and to whose
 * credentials send it: the one table the grants-match-code test reads (with each bundle's metafile
 * and the templates) to prove every command is granted and nothing more. docs/deploy.md explains
 * the rows.
 */

/** Whose credentials a command is sent with. */
export type Sender =
  /** The function's own role (the management template grants it). */
  | 'function'
  /** The access role the reconciler assumes in each member account (the member template grants it). */
  | 'member-access-role'
  /** Needs no IAM grant at all. */
  | 'no-grant';

/** The IAM service prefix of each SDK client package. */
export const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  'client-cognito-identity': 'cognito-identity',
  'client-cognito-identity-provider': 'cognito-idp',
  'client-dynamodb': 'dynamodb',
  'client-iam': 'iam',
  'client-organizations': 'organizations',
  'client-s3': 's3',
  'client-secrets-manager': 'secretsmanager',
  'client-sns': 'sns',
  'client-ssm': 'ssm',
  'client-sts': 'sts',
};

/** Commands whose action is not "<prefix>:<operation>", or that need more or no actions. */
export const ACTION_EXCEPTIONS: Readonly<Record<string, { actions: string[]; why: string }>> = {
  's3:GetObject': {
    actions: ['s3:GetObject', 's3:ListBucket'],
    why: 'S3 tells a missing object (404) from a forbidden one (403) only to callers allowed s3:ListBucket; every reader of the bucket reads objects that may not exist yet',
  },
  's3:ListObjectsV2': { actions: ['s3:ListBucket'], why: 'S3 authorizes listing a bucket as s3:ListBucket' },
  's3:HeadObject': {
    actions: ['s3:GetObject', 's3:ListBucket'],
    why: 'S3 authorizes HEAD as s3:GetObject, and tells a missing object (404) from a forbidden one (403) only to callers allowed s3:ListBucket',
  },
  's3:CreateSession': {
    actions: [],
    why: 'the S3 client signs in to S3 Express One Zone directory buckets with it; the policy bucket is a general purpose bucket',
  },
  'iam:CreateRole': { actions: ['iam:CreateRole', 'iam:TagRole'], why: 'roles are created with their tags, which IAM authorizes as iam:TagRole too' },
  'dynamodb:DescribeEndpoints': {
    actions: [],
    why: 'the DynamoDB client holds it for endpoint discovery, which is off unless a client or AWS_ENABLE_ENDPOINT_DISCOVERY turns it on; Switchyard never does',
  },
  'sts:AssumeRoleWithWebIdentity': {
    actions: [],
    why: "STS authorizes it by the web identity token and the target role's trust policy, not by the caller's credentials",
  },
};

/** Per Lambda (its handler name), clients whose commands are not sent with the function's own role. */
export const SENDERS: Readonly<Record<string, Readonly<Record<string, Sender>>>> = {
  // IAM clients are built only with the credentials of the access role backend/reconcile/account-access.ts assumed.
  reconciler: { 'client-iam': 'member-access-role' },
  // SSM is read only with SWITCHYARD_SESSION_KEY_PARAMETER, which the template never sets (it keeps the key in
  // Secrets Manager); a deployment that switches to SSM must add ssm:GetParameter and kms:Decrypt. Powertools' SSM
  // provider also carries GetParameters, GetParametersByPath and PutParameter, which Switchyard never sends.
  api: { 'client-ssm': 'no-grant' },
};

/**
 * The SDK's own credential providers (@aws-sdk/nested-clients: SSO, SSO OIDC, STS for profiles and
 * web identity token files, sign-in) are in every bundle. In Lambda the credentials come from the
 * environment, so none of these is ever sent.
 */
export const CREDENTIAL_CHAIN_COMMANDS = [
  'signin:CreateOAuth2Token',
  'signin:CreateOAuth2TokenWithIAM',
  'sso:GetRoleCredentials',
  'sso-oidc:CreateToken',
  'sts:AssumeRole',
  'sts:AssumeRoleWithWebIdentity',
] as const;

/**
 * What a function's role needs beyond its code's SDK calls: Lambda itself uses the role to write
 * the function's logs (to the log group the template creates, so no logs:CreateLogGroup) and, in a
 * VPC, to attach the function's network interfaces (the template holds these to its VPC, subnets and
 * security group; only the two Describe calls are on "*", as EC2 authorizes them); and, for the reconcile,
 * to send an asynchronous invocation that failed to its on-failure destination (a queue).
 */
export const PLATFORM_ACTIONS = {
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  vpc: [
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:DeleteNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
  ],
  asyncFailureDestination: ['sqs:SendMessage'],
} as const;

export interface SdkCommand {
  /** "client-s3", or "nested-clients/sts" for the credential chain's own clients. */
  source: string;
  /** "s3:GetObject": the service prefix and the operation. */
  command: string;
}

const CLIENT_COMMAND = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\/dist-es\/commands\/(\w+)Command\.js$/;
const NESTED_COMMAND = /node_modules\/@aws-sdk\/nested-clients\/dist-es\/submodules\/([a-z0-9-]+)\/commands\/(\w+)Command\.js$/;

/** The SDK commands among a bundle's inputs (esbuild's metafile, after tree-shaking). */
export function sdkCommands(inputs: readonly string[]): SdkCommand[] {
  return inputs.flatMap((path): SdkCommand[] => {
    const client = CLIENT_COMMAND.exec(path);
    if (client?.[1] && client[2]) {
      const prefix = SERVICE_PREFIX[client[1]];
      if (!prefix) throw new Error(`${client[1]}: no IAM service prefix in backend/deploy/sdk-grants.ts`);
      return [{ source: client[1], command: `${prefix}:${client[2]}` }];
    }
    const nested = NESTED_COMMAND.exec(path);
    if (nested?.[1] && nested[2]) {
      const prefix = nested[1] === 'sso-oidc' ? 'sso-oidc' : nested[1];
      return [{ source: `nested-clients/${nested[1]}`, command: `${prefix}:${nested[2]}` }];
    }
    return [];
  });
}

/** The actions each sender must be granted for a Lambda's commands. */
export function requiredGrants(handler: string, commands: readonly SdkCommand[]): Record<Sender, string[]> {
  const grants: Record<Sender, Set<string>> = { function: new Set(), 'member-access-role': new Set(), 'no-grant': new Set() };
  for (const { source, command } of commands) {
    if (source.startsWith('nested-clients/')) {
      if (!(CREDENTIAL_CHAIN_COMMANDS as readonly string[]).includes(command)) {
        throw new Error(`${command} from ${source} is not a known credential-chain command (backend/deploy/sdk-grants.ts)`);
      }
      grants['no-grant'].add(command);
      continue;
    }
    const exception = ACTION_EXCEPTIONS[command];
    const actions = exception ? exception.actions : [command];
    if (actions.length === 0) grants['no-grant'].add(command);
    const sender = SENDERS[handler]?.[source] ?? 'function';
    for (const action of actions) grants[sender].add(action);
  }
  return {
    function: [...grants.function].sort(),
    'member-access-role': [...grants['member-access-role']].sort(),
    'no-grant': [...grants['no-grant']].sort(),
  };
}

/**
 * The CLI commands the CI recipe runs (docs/policy-in-git.md), each as a role of the policy-ci
 * template: the module bundled to read its SDK commands, and the commands a run sends in CI, by
 * whose credentials. The grants test checks each is in the bundle and that the role grants exactly
 * these; the plan's integration test checks a real run sends nothing else. What else the bundles
 * hold is never sent in CI: `plan` never writes the bucket or applies a plan (apply-plan.ts), and
 * `push` without --reconcile never takes the lock or reaches a member account.
 */
export const CI_COMMANDS = {
  'policy-plan': {
    entry: 'backend/cli/plan.ts',
    role: 'PolicyPlanRole',
    memberRole: 'PlanReaderRole',
    sends: {
      function: [
        's3:GetObject',
        'sts:AssumeRole',
        'organizations:DescribeOrganization',
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListOrganizationalUnitsForParent',
        'organizations:ListRoots',
        'organizations:ListTagsForResource',
        'cognito-idp:ListGroups',
        'cognito-idp:ListUsersInGroup',
      ],
      'member-access-role': ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles'],
    },
    /** Granted only when the template parameter is set. */
    onlyWith: { UserPoolArn: ['cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup'] },
    /** In the bundle, sent by this command, but not by the recipe's run of it, so not granted. */
    notInCi: {
      'secretsmanager:GetSecretValue':
        "--people with an LDAP directory reads the service account's password; a GitHub-hosted runner cannot reach the directory, so the recipe's --people reads a user pool only",
    },
  },
  'policy-push': {
    entry: 'backend/cli/push.ts',
    role: 'PolicyPushRole',
    memberRole: undefined,
    sends: {
      function: [
        's3:GetObject',
        's3:PutObject',
        's3:ListObjectsV2',
        's3:DeleteObject',
        'organizations:DescribeOrganization',
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListOrganizationalUnitsForParent',
        'organizations:ListRoots',
        'organizations:ListTagsForResource',
      ],
      'member-access-role': [],
    },
    onlyWith: {},
    notInCi: {},
  },
} as const satisfies Record<
  string,
  {
    entry: string;
    role: string;
    memberRole: string | undefined;
    sends: Record<Exclude<Sender, 'no-grant'>, readonly string[]>;
    onlyWith: Readonly<Record<string, readonly string[]>>;
    notInCi: Readonly<Record<string, string>>;
  }
>;

/** The IAM actions a list of SDK commands needs (ACTION_EXCEPTIONS applied), sorted. */
export function actionsOf(commands: readonly string[]): string[] {
  return [...new Set(commands.flatMap((command) => ACTION_EXCEPTIONS[command]?.actions ?? [command]))].sort();
}
