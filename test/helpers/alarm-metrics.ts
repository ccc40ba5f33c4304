/**
 * Holds the management template's alarms to the code, as templates-grants.test.ts holds the grants: each
 * alarm on Switchyard's own namespace names a metric backend/metrics/metric-definitions.ts defines, with
 * exactly its dimensions, dimension values it takes, and the name of the function that emits it; each alarm
 * on AWS's metrics names its dimensions by resources of the right type; every alarm notifies the operations topic.
 * Works on the template as written (Ref and GetAtt unresolved), so a reference names the very resource.
 */
import type { Template } from '../../backend/deploy/template.ts';
import { METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION, type MetricDefinition } from '../../backend/metrics/metric-definitions.ts';

interface Dimension {
  Name: string;
  Value: unknown;
}

export interface AlarmMetric {
  alarm: string;
  namespace: unknown;
  name: unknown;
  dimensions: Dimension[];
}

interface MetricStat {
  Metric: { Namespace: unknown; MetricName: unknown; Dimensions?: Dimension[] };
}

interface AlarmProperties {
  Namespace?: unknown;
  MetricName?: unknown;
  Dimensions?: Dimension[];
  Metrics?: { Id: string; MetricStat?: MetricStat }[];
  AlarmActions?: unknown;
  OKActions?: unknown;
}

export const OPERATIONS_TOPIC = 'OperationsTopic';

/** The resource type each dimension of AWS's own metrics refers to. */
const AWS_DIMENSIONS: Record<string, Record<string, string>> = {
  'AWS/Lambda': { FunctionName: 'AWS::Lambda::Function' },
  'AWS/ApiGateway': { ApiId: 'AWS::ApiGatewayV2::Api' },
  'AWS/SQS': { QueueName: 'AWS::SQS::Queue' },
};

export function alarmsOf(template: Template): [string, AlarmProperties][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map(([id, resource]) => [id, (resource.Properties ?? {}) as AlarmProperties]);
}

/** Every metric an alarm watches: its own, or each of its metric math's. */
export function alarmMetrics(template: Template): AlarmMetric[] {
  return alarmsOf(template).flatMap(([alarm, properties]) => [
    ...(properties.MetricName === undefined
      ? []
      : [{ alarm, namespace: properties.Namespace, name: properties.MetricName, dimensions: properties.Dimensions ?? [] }]),
    ...(properties.Metrics ?? []).flatMap((metric) =>
      metric.MetricStat
        ? [
            {
              alarm,
              namespace: metric.MetricStat.Metric.Namespace,
              name: metric.MetricStat.Metric.MetricName,
              dimensions: metric.MetricStat.Metric.Dimensions ?? [],
            },
          ]
        : [],
    ),
  ]);
}

/** The resource a Ref or GetAtt names. */
function referenced(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0]);
  return undefined;
}

/** The function whose code is this Lambda bundle (dist/deploy/lambda/<bundle>.zip). */
function functionRunning(template: Template, bundle: string): string | undefined {
  return Object.entries(template.Resources).find(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function' && JSON.stringify(resource.Properties?.Code).includes(`${bundle}.zip`),
  )?.[0];
}

/** Every way the alarms disagree with the code and the template; empty when they agree. */
export function alarmMetricProblems(template: Template, definitions: Record<string, MetricDefinition> = METRICS): string[] {
  const problems: string[] = [];
  for (const { alarm, namespace, name, dimensions } of alarmMetrics(template)) {
    const names = dimensions.map((dimension) => dimension.Name).sort();
    if (namespace === METRICS_NAMESPACE) {
      const definition = Object.values(definitions).find((candidate) => candidate.name === name);
      if (!definition) {
        problems.push(`${alarm}: ${METRICS_NAMESPACE}/${String(name)} is a metric no code emits (backend/metrics/metric-definitions.ts)`);
        continue;
      }
      const emitted = [SERVICE_DIMENSION, ...Object.keys(definition.dimensions)].sort();
      if (names.join() !== emitted.join()) {
        problems.push(`${alarm}: ${definition.name} has the dimensions [${names.join(', ')}]; the code emits it with [${emitted.join(', ')}]`);
        continue;
      }
      const emitter = functionRunning(template, definition.emittedBy);
      const service = dimensions.find((dimension) => dimension.Name === SERVICE_DIMENSION)?.Value;
      if (emitter === undefined || JSON.stringify(service) !== JSON.stringify({ Ref: emitter })) {
        problems.push(
          `${alarm}: ${definition.name} is emitted by the ${definition.emittedBy} Lambda (${emitter ?? 'not in this template'}); its ${SERVICE_DIMENSION} must be that function's name, { Ref: ${emitter ?? '?'} }`,
        );
      }
      for (const { Name, Value } of dimensions) {
        const values = definition.dimensions[Name];
        if (values && !(typeof Value === 'string' && values.includes(Value))) {
          problems.push(`${alarm}: ${definition.name}'s ${Name} is never ${JSON.stringify(Value)}; the code emits ${values.join(', ')}`);
        }
      }
    } else if (typeof namespace === 'string' && namespace in AWS_DIMENSIONS) {
      for (const { Name, Value } of dimensions) {
        const type = AWS_DIMENSIONS[namespace]?.[Name];
        const resource = referenced(Value);
        if (type === undefined) problems.push(`${alarm}: ${namespace} has no dimension ${Name} this test knows`);
        else if (resource === undefined || template.Resources[resource]?.Type !== type) {
          problems.push(`${alarm}: ${namespace}'s ${Name} must name a ${type} of this template, not ${JSON.stringify(Value)}`);
        }
      }
    } else {
      problems.push(`${alarm}: the namespace ${JSON.stringify(namespace)} is neither Switchyard's nor one of AWS's this test knows`);
    }
  }
  for (const [alarm, properties] of alarmsOf(template)) {
    for (const key of ['AlarmActions', 'OKActions'] as const) {
      if (JSON.stringify(properties[key]) !== JSON.stringify([{ Ref: OPERATIONS_TOPIC }])) {
        problems.push(`${alarm}: ${key} must notify the operations topic alone, not ${JSON.stringify(properties[key])}`);
      }
    }
  }
  return problems;
}
