/**
 * Evaluates a CloudFormation template (backend/deploy/template.ts reads it) for given parameters,
 * as CloudFormation would resolve it, without AWS: conditions, Ref, Fn::Sub, Fn::If, Fn::Join,
 * Fn::Split, Fn::Select, GetAtt and AWS::NoValue. What resources return (an identity pool's id, a
 * secret's ARN) are realistic stand-ins, so the values can be checked by the configuration's own
 * parsers and by an IAM policy simulator.
 */
import type { Template, TemplateResource } from '../../backend/deploy/template.ts';
import type { Partition } from '../../shared/console/partitions.ts';

export const NO_VALUE = Symbol('AWS::NoValue');

export interface Deployment {
  template: Template;
  /** Parameter values after defaults; CommaDelimitedList parameters as arrays. */
  parameters: Record<string, string | string[]>;
  region: string;
  accountId: string;
  partition: Partition;
  stackName: string;
}

export function deploymentOf(
  template: Template,
  given: Record<string, string>,
  where: Partial<Omit<Deployment, 'template' | 'parameters'>> = {},
): Deployment {
  const parameters: Record<string, string | string[]> = {};
  for (const [name, declared] of Object.entries(template.Parameters ?? {})) {
    const value = given[name] ?? (declared.Default === undefined ? undefined : String(declared.Default));
    if (value === undefined) throw new Error(`parameter ${name} has no default and was not given`);
    if (declared.AllowedPattern && declared.Type === 'String' && !new RegExp(declared.AllowedPattern).test(value)) {
      throw new Error(`parameter ${name}: "${value}" does not match its AllowedPattern`);
    }
    if (declared.AllowedValues && !declared.AllowedValues.map(String).includes(value))
      throw new Error(`parameter ${name}: "${value}" is not allowed`);
    parameters[name] = declared.Type === 'CommaDelimitedList' ? value.split(',') : value;
  }
  for (const name of Object.keys(given)) if (!(name in parameters)) throw new Error(`the template has no parameter ${name}`);
  return {
    template,
    parameters,
    region: where.region ?? 'eu-west-1',
    accountId: where.accountId ?? '111122223333',
    partition: where.partition ?? 'aws',
    stackName: where.stackName ?? 'switchyard',
  };
}

export function conditionHolds(deployment: Deployment, name: string): boolean {
  const definition = deployment.template.Conditions?.[name];
  if (definition === undefined) throw new Error(`no condition ${name}`);
  return evaluate(deployment, definition) === true;
}

/** The resources that exist for these parameters (their Condition holds). */
export function resourcesOf(deployment: Deployment): Record<string, TemplateResource> {
  return Object.fromEntries(
    Object.entries(deployment.template.Resources).filter(([, resource]) => !resource.Condition || conditionHolds(deployment, resource.Condition)),
  );
}

/** A resource's properties with every intrinsic function resolved. */
export function propertiesOf<T = Record<string, unknown>>(deployment: Deployment, logicalId: string): T {
  const resource = deployment.template.Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return evaluate(deployment, resource.Properties ?? {}) as T;
}

export function evaluate(deployment: Deployment, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(deployment, item)).filter((item) => item !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only && (only[0] === 'Ref' || only[0] === 'Condition' || only[0].startsWith('Fn::'))) {
    return intrinsic(deployment, only[0], only[1]);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const evaluated = evaluate(deployment, item);
    if (evaluated !== NO_VALUE) result[key] = evaluated;
  }
  return result;
}

function intrinsic(deployment: Deployment, name: string, argument: unknown): unknown {
  const args = () => argument as unknown[];
  switch (name) {
    case 'Ref':
      return ref(deployment, argument as string);
    case 'Condition':
      return conditionHolds(deployment, argument as string);
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = args();
      return evaluate(deployment, conditionHolds(deployment, condition as string) ? whenTrue : whenFalse);
    }
    case 'Fn::Equals': {
      const [a, b] = args().map((item) => evaluate(deployment, item));
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return evaluate(deployment, args()[0]) !== true;
    case 'Fn::And':
      return args().every((item) => evaluate(deployment, item) === true);
    case 'Fn::Or':
      return args().some((item) => evaluate(deployment, item) === true);
    case 'Fn::Join': {
      const [separator, list] = args();
      return (evaluate(deployment, list) as unknown[]).map(String).join(separator as string);
    }
    case 'Fn::Split': {
      const [separator, text] = args();
      return String(evaluate(deployment, text)).split(separator as string);
    }
    case 'Fn::Select': {
      const [index, list] = args();
      return (evaluate(deployment, list) as unknown[])[Number(evaluate(deployment, index))];
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = args() as [string, string];
      return getAtt(deployment, logicalId, attribute);
    }
    case 'Fn::Sub':
      return typeof argument === 'string' ? substitute(deployment, argument, {}) : substitute(deployment, args()[0] as string, args()[1] as object);
    default:
      throw new Error(`${name} is not evaluated here`);
  }
}

function substitute(deployment: Deployment, text: string, variables: object): string {
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_whole, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (name in variables) return String(evaluate(deployment, (variables as Record<string, unknown>)[name]));
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return getAtt(deployment, name.slice(0, dot), name.slice(dot + 1));
    return String(ref(deployment, name));
  });
}

function ref(deployment: Deployment, name: string): unknown {
  switch (name) {
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::Region':
      return deployment.region;
    case 'AWS::AccountId':
      return deployment.accountId;
    case 'AWS::Partition':
      return deployment.partition;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return deployment.stackName;
  }
  if (name in deployment.parameters) return deployment.parameters[name];
  const resource = deployment.template.Resources[name];
  if (!resource) throw new Error(`Ref to ${name}, which is neither a parameter nor a resource`);
  if (resource.Condition && !conditionHolds(deployment, resource.Condition)) throw new Error(`Ref to ${name}, which does not exist here`);
  return physicalId(deployment, name, resource);
}

/** What Ref returns for a resource, by type: realistic values in the formats AWS uses. */
function physicalId(deployment: Deployment, logicalId: string, resource: TemplateResource): string {
  const { region, accountId } = deployment;
  const property = (key: string) => {
    const value = resource.Properties?.[key];
    return value === undefined ? undefined : String(evaluate(deployment, value));
  };
  switch (resource.Type) {
    case 'AWS::Cognito::IdentityPool':
      return `${region}:11111111-2222-3333-4444-555555555555`;
    case 'AWS::Cognito::UserPool':
      return `${region}_AbCdEf123`;
    case 'AWS::Cognito::UserPoolClient':
      return '1a2b3c4d5e6f7g8h9i0j1k2l3m';
    case 'AWS::Cognito::UserPoolDomain':
      return property('Domain') ?? logicalId;
    case 'AWS::SecretsManager::Secret':
      return `arn:${deployment.partition}:secretsmanager:${region}:${accountId}:secret:${logicalId}-AbCdEf`;
    case 'AWS::S3::Bucket':
      return property('BucketName') ?? `${deployment.stackName}-${logicalId.toLowerCase()}-1a2b3c`;
    case 'AWS::IAM::Role':
      return property('RoleName') ?? `${deployment.stackName}-${logicalId}-1A2B3C`;
    case 'AWS::Logs::LogGroup':
      return property('LogGroupName') ?? `${deployment.stackName}-${logicalId}-1A2B3C`;
    case 'AWS::DynamoDB::Table':
      return property('TableName') ?? `${deployment.stackName}-${logicalId}-1A2B3C`;
    case 'AWS::ApiGatewayV2::Api':
      return 'a1b2c3d4e5';
    case 'AWS::EC2::SecurityGroup':
      return 'sg-0123456789abcdef0';
    case 'AWS::SNS::Topic':
      return `arn:${deployment.partition}:sns:${region}:${accountId}:${property('TopicName') ?? `${deployment.stackName}-${logicalId}-1A2B3C`}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${accountId}/${property('QueueName') ?? `${deployment.stackName}-${logicalId}-1A2B3C`}`;
    default:
      return `${deployment.stackName}-${logicalId}-1A2B3C`;
  }
}

function getAtt(deployment: Deployment, logicalId: string, attribute: string): string {
  const resource = deployment.template.Resources[logicalId];
  if (!resource) throw new Error(`GetAtt of ${logicalId}, which is not a resource`);
  const id = physicalId(deployment, logicalId, resource);
  const { partition, region, accountId } = deployment;
  if (resource.Type === 'AWS::SQS::Queue') {
    const name = id.slice(id.lastIndexOf('/') + 1);
    if (attribute === 'QueueName') return name;
    if (attribute === 'Arn') return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
  }
  if (attribute !== 'Arn') throw new Error(`GetAtt ${logicalId}.${attribute} is not evaluated here`);
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${accountId}:role/${id}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${accountId}:function:${id}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${accountId}:log-group:${id}:*`;
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${id}`;
    case 'AWS::Events::Rule':
      return `arn:${partition}:events:${region}:${accountId}:rule/${id}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${accountId}:table/${id}`;
    case 'AWS::IAM::OIDCProvider':
      return `arn:${partition}:iam::${accountId}:oidc-provider/${String(evaluate(deployment, resource.Properties?.Url)).replace(/^https:\/\//, '')}`;
    default:
      throw new Error(`GetAtt ${logicalId}.Arn of a ${resource.Type} is not evaluated here`);
  }
}

/**
 * The template with its conditions decided for these parameters: Fn::If replaced by the branch it
 * takes (AWS::NoValue dropped), resources and outputs whose condition fails left out. Everything
 * else (Ref, Fn::Sub, ...) stays for CloudFormation to resolve. moto's CloudFormation needs this: it
 * keeps a null where AWS::NoValue stands in a list.
 */
export function withConditionsDecided(deployment: Deployment): Template {
  const decide = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decide).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if ('Fn::If' in record && Object.keys(record).length === 1) {
      const [condition, whenTrue, whenFalse] = record['Fn::If'] as [string, unknown, unknown];
      return decide(conditionHolds(deployment, condition) ? whenTrue : whenFalse);
    }
    if (record.Ref === 'AWS::NoValue' && Object.keys(record).length === 1) return NO_VALUE;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      const decided = decide(item);
      if (decided !== NO_VALUE) result[key] = decided;
    }
    return result;
  };
  const kept = <T extends { Condition?: string }>(entries: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(entries)
        .filter(([, entry]) => !entry.Condition || conditionHolds(deployment, entry.Condition))
        .map(([name, entry]) => {
          const { Condition: _condition, ...rest } = decide(entry) as T;
          return [name, rest];
        }),
    );
  const { Conditions: _conditions, Rules: _rules, ...rest } = deployment.template as Template & { Rules?: unknown };
  return { ...rest, Resources: kept(deployment.template.Resources), ...(rest.Outputs ? { Outputs: kept(rest.Outputs) } : {}) } as Template;
}
