/**
 * Bench helper: AWS at scale on a loopback port, for the SDK clients the backend builds (set it as
 * SWITCHYARD_AWS_ENDPOINT). IAM, STS and Organizations are simulated in memory, so 10,000 member
 * accounts cost what the reconciler costs and not what moto costs; S3 requests go on to a real S3
 * stand-in (moto) unchanged. Every answer waits `latencyMs`, as a call to AWS from a Lambda does, and
 * the request-rate quotas of quotas.ts are enforced with each service's own throttling error, so the
 * SDK's retry strategy runs as it would against AWS. A loopback server rather than an in-process request
 * handler: the bundled reconcile Lambda runs in a process of its own, with its real HTTP handler, and
 * its memory is measured without the simulator's.
 *
 * Credentials tell accounts apart as AWS does: AssumeRole hands out an access key bound to the role's
 * account, and IAM calls signed with it act in that account; any other key is the management account.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { IAM_NAMESPACE, SimulatedIam } from './iam.ts';
import { SimulatedOrganization, type SimulatedAccount, type SimulatedUnit } from './organizations.ts';
import { Buckets, IAM_PER_ACCOUNT, ORGANIZATIONS, STS_ASSUME_ROLE, type RateQuota } from './quotas.ts';
import { credentialScope, el, jsonError, queryAnswer, queryError, serviceOf, type Answer, type Service } from './wire.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** The caller of credentials STS did not hand out: moto's default account, so S3 in moto and the simulator agree. */
export const SIMULATED_MANAGEMENT_ACCOUNT = '123456789012';

export interface SimulatedAwsOptions {
  memberAccounts: SimulatedAccount[];
  units?: SimulatedUnit[];
  managementAccountId?: string;
  /** The reconciler's access role, made in every member account (path "/"). */
  accessRoleName: string;
  /** Member accounts without the access role: AssumeRole into them is refused (AccessDenied). */
  withoutAccessRole?: string[];
  /** Other roles every member account has (an admin's role, service-linked roles), read by every GetAccountAuthorizationDetails. Default 3. */
  otherRolesPerAccount?: number;
  /** Added to every answer. Default 0. */
  latencyMs?: number;
  /** Replace or switch off (false) a quota; default: quotas.ts. */
  quotas?: { stsAssumeRole?: RateQuota | false; iamPerAccount?: RateQuota | false; organizations?: boolean };
  /** Where S3 requests go (moto), and SQS and DynamoDB (the reconcile split into batches). Without it they are answered 501. */
  s3Endpoint?: string;
  partition?: string;
}

export interface CallStats {
  /** "IAM:CreateRole" -> answered calls (throttled ones included). */
  byOperation: Map<string, number>;
  /** Member account (or "management", "organizations", "s3") -> calls. */
  byAccount: Map<string, number>;
  /** "STS:AssumeRole" -> calls answered with a throttling error. */
  throttled: Map<string, number>;
  /** TCP connections clients opened. */
  connections: number;
  /** Most requests in flight at once. */
  peakInFlight: number;
}

export interface SimulatedAws {
  endpoint: string;
  iam: SimulatedIam;
  organization: SimulatedOrganization;
  stats: CallStats;
  resetStats(): void;
  close(): Promise<void>;
}

const OTHER_ROLES = [
  { roleName: 'OrganizationAccountAccessRole', path: '/', attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
  {
    roleName: 'AWSServiceRoleForSupport',
    path: '/aws-service-role/support.amazonaws.com/',
    attachedPolicyArns: ['arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'],
  },
  {
    roleName: 'AWSServiceRoleForTrustedAdvisor',
    path: '/aws-service-role/trustedadvisor.amazonaws.com/',
    attachedPolicyArns: ['arn:aws:iam::aws:policy/aws-service-role/AWSTrustedAdvisorServiceRolePolicy'],
  },
];

export async function startSimulatedAws(options: SimulatedAwsOptions): Promise<SimulatedAws> {
  const management = options.managementAccountId ?? SIMULATED_MANAGEMENT_ACCOUNT;
  const partition = options.partition ?? 'aws';
  const latencyMs = options.latencyMs ?? 0;
  const iam = new SimulatedIam(partition);
  const organization = new SimulatedOrganization(management, options.memberAccounts, options.units, partition);
  const missingAccessRole = new Set(options.withoutAccessRole ?? []);
  const trustManagement = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${management}:root` }, Action: 'sts:AssumeRole' }],
  };
  for (const account of options.memberAccounts) {
    if (!missingAccessRole.has(account.id)) iam.seed(account.id, { roleName: options.accessRoleName, trustPolicy: trustManagement });
    for (const other of OTHER_ROLES.slice(0, options.otherRolesPerAccount ?? 3)) iam.seed(account.id, { ...other, trustPolicy: trustManagement });
  }

  const quotas = {
    sts: options.quotas?.stsAssumeRole === undefined ? STS_ASSUME_ROLE : options.quotas.stsAssumeRole,
    iam: options.quotas?.iamPerAccount === undefined ? IAM_PER_ACCOUNT : options.quotas.iamPerAccount,
    organizations: options.quotas?.organizations ?? true,
  };
  const buckets = new Buckets();
  /** Access keys STS handed out -> the account they act in. */
  const issued = new Map<string, string>();
  let issuedCount = 0;

  const emptyStats = (): CallStats => ({ byOperation: new Map(), byAccount: new Map(), throttled: new Map(), connections: 0, peakInFlight: 0 });
  let stats = emptyStats();
  let inFlight = 0;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const answerOf = (service: Service, headers: IncomingMessage['headers'], body: string): { call: string; account: string; answer: Answer } => {
    const caller = credentialScope(headers)?.accessKeyId ?? '';
    const callerAccount = issued.get(caller) ?? management;
    if (service === 'organizations') {
      const operation = String(headers['x-amz-target']).split('.')[1] ?? '';
      const call = `Organizations:${operation}`;
      if (callerAccount !== management) {
        return {
          call,
          account: 'organizations',
          answer: jsonError(400, 'AccessDeniedException', "You don't have permissions to access this resource."),
        };
      }
      const limits = ORGANIZATIONS[operation];
      if (quotas.organizations && limits) {
        const wanted = [{ key: `org:${operation}:account:${callerAccount}`, quota: limits.perAccount }];
        if (limits.perOrganization) wanted.push({ key: `org:${operation}:organization`, quota: limits.perOrganization });
        if (!buckets.take(wanted)) {
          return {
            call,
            account: 'organizations',
            answer: jsonError(
              400,
              'TooManyRequestsException',
              'You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.',
            ),
          };
        }
      }
      let input: Record<string, unknown> = {};
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        return { call, account: 'organizations', answer: jsonError(400, 'SerializationException', 'The request body is not JSON.') };
      }
      return { call, account: 'organizations', answer: organization.handle(operation, input) };
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    if (service === 'sts') {
      const call = `STS:${action}`;
      if (action !== 'AssumeRole')
        return { call, account: 'management', answer: queryError(STS_NAMESPACE, 400, 'InvalidAction', `The simulator does not answer ${action}.`) };
      const roleArn = params.get('RoleArn') ?? '';
      const target = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
      const account = target?.[1] ?? 'management';
      if (quotas.sts && !buckets.take([{ key: `sts:AssumeRole:${callerAccount}`, quota: quotas.sts }])) {
        return { call, account, answer: queryError(STS_NAMESPACE, 400, 'Throttling', 'Rate exceeded') };
      }
      if (!target || !organization.has(target[1] ?? '') || !iam.role(target[1] ?? '', target[2] ?? '')) {
        const message = `User: arn:${partition}:sts::${management}:assumed-role/switchyard-reconciler/simulated is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
        return { call, account, answer: queryError(STS_NAMESPACE, 403, 'AccessDenied', message) };
      }
      const accessKeyId = `ASIA${target[1]}${(issuedCount++).toString(36).toUpperCase().padStart(4, '0')}`;
      issued.set(accessKeyId, account);
      const credentials =
        el('AccessKeyId', accessKeyId) +
        el('SecretAccessKey', randomBytes(30).toString('base64')) +
        el('SessionToken', randomBytes(96).toString('base64')) +
        el('Expiration', new Date(Date.now() + 3600_000).toISOString());
      const user =
        el('AssumedRoleId', `AROASIMULATED:${params.get('RoleSessionName') ?? ''}`) +
        el('Arn', `arn:${partition}:sts::${account}:assumed-role/${target[2]}/${params.get('RoleSessionName') ?? ''}`);
      return {
        call,
        account,
        answer: queryAnswer(STS_NAMESPACE, 'AssumeRole', `<Credentials>${credentials}</Credentials><AssumedRoleUser>${user}</AssumedRoleUser>`),
      };
    }
    // IAM acts in the account of the credentials.
    const call = `IAM:${action}`;
    const account = callerAccount === management ? 'management' : callerAccount;
    if (quotas.iam && !buckets.take([{ key: `iam:${callerAccount}`, quota: quotas.iam }])) {
      return { call, account, answer: queryError(IAM_NAMESPACE, 400, 'Throttling', 'Rate exceeded') };
    }
    return { call, account, answer: iam.handle(callerAccount, action, params) };
  };

  const server = createServer((incoming, outgoing) => {
    const service = serviceOf(incoming.headers);
    inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    const done = () => inFlight--;
    if (service === 's3' || service === 'sqs' || service === 'dynamodb') {
      count(stats.byOperation, service === 's3' ? `S3:${incoming.method ?? ''}` : service.toUpperCase());
      count(stats.byAccount, service);
      forward(incoming, outgoing, options.s3Endpoint, latencyMs, done);
      return;
    }
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const { call, account, answer } =
        service === 'unknown'
          ? {
              call: 'unknown',
              account: 'unknown',
              answer: queryError(STS_NAMESPACE, 400, 'InvalidClientTokenId', 'The request is not signed for IAM, STS, Organizations or S3.'),
            }
          : answerOf(service, incoming.headers, Buffer.concat(chunks).toString());
      count(stats.byOperation, call);
      count(stats.byAccount, account);
      if (isThrottling(answer)) count(stats.throttled, call);
      setTimeout(() => {
        outgoing.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        outgoing.end(answer.body, done);
      }, latencyMs);
    });
  });
  server.on('connection', () => stats.connections++);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    iam,
    organization,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isThrottling(answer: Answer): boolean {
  return answer.status === 400 && (answer.body.includes('<Code>Throttling</Code>') || answer.body.includes('"TooManyRequestsException"'));
}

function forward(incoming: IncomingMessage, outgoing: ServerResponse, target: string | undefined, latencyMs: number, done: () => void): void {
  if (!target) {
    incoming.resume();
    outgoing.writeHead(501, { 'content-type': 'text/plain' }).end('no S3 endpoint was given to the simulated AWS', done);
    return;
  }
  const url = new URL(target);
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.on('end', () => {
    setTimeout(() => {
      const forwarded = request(
        { host: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
          response.on('end', done);
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end(done));
      forwarded.end(Buffer.concat(chunks));
    }, latencyMs);
  });
}
