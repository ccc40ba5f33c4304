/**
 * The alarms match the code. Each alarm of the management template on Switchyard's own metrics names one
 * the code emits (backend/metrics/metric-definitions.ts), with the same name, namespace and dimensions,
 * dimension values the code gives, and the name of the function that emits it; the alarms on AWS's
 * metrics name their resources; every alarm notifies the operations topic (test/helpers/alarm-metrics.ts).
 * Then each way the check can find a mismatch is shown to find it.
 */
import { describe, expect, it } from 'vitest';
import { loadTemplate, type Template } from '../../backend/deploy/template.ts';
import { METRICS } from '../../backend/metrics/metric-definitions.ts';
import { alarmMetricProblems, alarmMetrics, alarmsOf } from '../helpers/alarm-metrics.ts';

const management = loadTemplate('management');

/** A copy of the template with one alarm's properties changed. */
function withAlarm(id: string, change: (properties: Record<string, unknown>) => void): Template {
  const copy = structuredClone(management);
  const alarm = copy.Resources[id];
  if (!alarm?.Properties) throw new Error(`no alarm ${id}`);
  change(alarm.Properties);
  return copy;
}

const statusOf = (properties: Record<string, unknown>) =>
  (properties.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === 'Status');

describe('the alarms hold to the code', () => {
  it('every alarm names a metric the code emits, as the code emits it, and notifies the operations topic', () => {
    expect(alarmMetricProblems(management)).toEqual([]);
  });

  it('operations hear of each way Switchyard breaks', () => {
    const watched = alarmMetrics(management).map(({ alarm, namespace, name, dimensions }) => {
      const status = dimensions.find((dimension) => dimension.Name === 'Status')?.Value;
      const resource = dimensions.find((dimension) => dimension.Name !== 'Status')?.Value;
      return `${alarm} ${String(namespace)}/${String(name)}${status ? `[${String(status)}]` : ''} ${JSON.stringify(resource)}`;
    });
    expect(watched.sort()).toEqual(
      [
        'ReconcileNotAppliedAlarm Switchyard/ReconcileRuns[applied] {"Ref":"ReconcileFunction"}',
        'ReconcilePartialAlarm Switchyard/ReconcileRuns[partial] {"Ref":"ReconcileFunction"}',
        'ReconcileRefusedAlarm Switchyard/ReconcileRuns[refused] {"Ref":"ReconcileFunction"}',
        'ReconcileInvalidAlarm Switchyard/ReconcileRuns[invalid] {"Ref":"ReconcileFunction"}',
        'ReconcileFailedEventsAlarm AWS/SQS/ApproximateNumberOfMessagesVisible {"Fn::GetAtt":["ReconcileFailedEvents","QueueName"]}',
        'ReconcileFailedEventsAlarm AWS/Lambda/DestinationDeliveryFailures {"Ref":"ReconcileFunction"}',
        'ApiServerErrorsAlarm AWS/ApiGateway/5xx {"Ref":"HttpApi"}',
        'ApiServerErrorsAlarm AWS/ApiGateway/Count {"Ref":"HttpApi"}',
        'ReconcileErrorsAlarm AWS/Lambda/Errors {"Ref":"ReconcileFunction"}',
        'ReconcileThrottlesAlarm AWS/Lambda/Throttles {"Ref":"ReconcileFunction"}',
        'ApiErrorsAlarm AWS/Lambda/Errors {"Ref":"ApiFunction"}',
        'ApiThrottlesAlarm AWS/Lambda/Throttles {"Ref":"ApiFunction"}',
      ].sort(),
    );
  });

  it('silence is breaching: a reconcile that stopped running fires the alarm after the set hours', () => {
    const notApplied = Object.fromEntries(alarmsOf(management)).ReconcileNotAppliedAlarm;
    expect(notApplied).toMatchObject({
      Period: 3600,
      EvaluationPeriods: { Ref: 'ReconcileSilenceHours' },
      DatapointsToAlarm: { Ref: 'ReconcileSilenceHours' },
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    // CloudWatch evaluates at most seven days of hourly periods.
    expect(management.Parameters?.ReconcileSilenceHours).toMatchObject({ MinValue: 1, MaxValue: 168 });
  });

  it("the reconcile's failed asynchronous invocations go to the queue the alarm watches, after Lambda's retries", () => {
    const destination = management.Resources.ReconcileFailureDestination;
    expect(destination?.Type).toBe('AWS::Lambda::EventInvokeConfig');
    expect(destination?.Properties).toMatchObject({
      FunctionName: { Ref: 'ReconcileFunction' },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['ReconcileFailedEvents', 'Arn'] } } },
    });
    expect(destination?.DependsOn).toBe('ReconcileFailedEventsGrant');
  });

  it('no metric has a dimension of free values: each dimension takes a fixed list (no person, account or role)', () => {
    for (const definition of Object.values(METRICS)) {
      for (const [name, values] of Object.entries(definition.dimensions)) {
        expect(values.length, `${definition.name}.${name}`).toBeGreaterThan(0);
        // The longest: the contract's error codes.
        expect(values.length, `${definition.name}.${name}`).toBeLessThanOrEqual(40);
      }
    }
  });
});

describe('the check finds each mismatch', () => {
  it.each<[string, Template, RegExp]>([
    [
      'a metric no code emits',
      withAlarm('ReconcilePartialAlarm', (p) => (p.MetricName = 'ReconcileRun')),
      /ReconcilePartialAlarm: Switchyard\/ReconcileRun is a metric no code emits/,
    ],
    [
      'a dimension the code does not emit',
      withAlarm('ReconcilePartialAlarm', (p) => (p.Dimensions as unknown[]).push({ Name: 'Account', Value: '111122223333' })),
      /ReconcilePartialAlarm: ReconcileRuns has the dimensions \[Account, Status, service\]; the code emits it with \[Status, service\]/,
    ],
    [
      'a dimension the code emits, left out',
      withAlarm('ReconcilePartialAlarm', (p) => (p.Dimensions = (p.Dimensions as { Name: string }[]).filter((d) => d.Name !== 'Status'))),
      /the code emits it with \[Status, service\]/,
    ],
    [
      'a dimension value the code never gives',
      withAlarm('ReconcileRefusedAlarm', (p) => (statusOf(p)!.Value = 'denied')),
      /ReconcileRefusedAlarm: ReconcileRuns's Status is never "denied"; the code emits applied, partial, refused, invalid, deferred/,
    ],
    [
      'the metric of another function',
      withAlarm('ReconcileNotAppliedAlarm', (p) => ((p.Dimensions as { Name: string; Value: unknown }[])[0]!.Value = { Ref: 'ApiFunction' })),
      /ReconcileNotAppliedAlarm: ReconcileRuns is emitted by the reconciler Lambda \(ReconcileFunction\)/,
    ],
    [
      "an AWS metric's dimension naming the wrong resource",
      withAlarm('ApiThrottlesAlarm', (p) => ((p.Dimensions as { Value: unknown }[])[0]!.Value = { Ref: 'HttpApi' })),
      /ApiThrottlesAlarm: AWS\/Lambda's FunctionName must name a AWS::Lambda::Function/,
    ],
    [
      'an alarm that notifies the requests topic',
      withAlarm('ApiErrorsAlarm', (p) => (p.AlarmActions = [{ Ref: 'RequestsTopic' }])),
      /ApiErrorsAlarm: AlarmActions must notify the operations topic alone/,
    ],
  ])('%s', (_name, template, problem) => {
    const problems = alarmMetricProblems(template);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('a metric the code renames: the alarm on the old name is found', () => {
    const renamed = { ...METRICS, reconcileRuns: { ...METRICS.reconcileRuns, name: 'ReconcileOutcomes' } };
    expect(alarmMetricProblems(management, renamed)).toEqual(
      ['ReconcileNotAppliedAlarm', 'ReconcilePartialAlarm', 'ReconcileRefusedAlarm', 'ReconcileInvalidAlarm'].map(
        (alarm) => `${alarm}: Switchyard/ReconcileRuns is a metric no code emits (backend/metrics/metric-definitions.ts)`,
      ),
    );
  });

  it('a dimension the code adds: every alarm on that metric is found', () => {
    const more = {
      ...METRICS,
      reconcileRuns: { ...METRICS.reconcileRuns, dimensions: { ...METRICS.reconcileRuns.dimensions, Trigger: ['push', 'schedule'] } },
    };
    expect(alarmMetricProblems(management, more)).toHaveLength(4);
  });
});
