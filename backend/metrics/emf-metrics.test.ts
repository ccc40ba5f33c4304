/**
 * What the Powertools adapter prints is what the definitions say, for every metric: the namespace, the
 * `service` dimension (the function's name) and the metric's own dimensions, its name, unit and value, as
 * one line of CloudWatch embedded metric format on stdout. The alarms are held to the definitions
 * (templates-alarms.test.ts), so this is what ties them to what CloudWatch will receive.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureOutput, type CapturedOutput } from '../../test/helpers/capture-output.ts';
import { emfMetrics } from './emf-metrics.ts';
import { METRICS, type DimensionsOf, type MetricKey } from './metric-definitions.ts';

let output: CapturedOutput;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
});

const printed = () =>
  output
    .text()
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('embedded metric format, as the adapter prints it', () => {
  it.each(Object.keys(METRICS) as MetricKey[])('%s', (key) => {
    const definition = METRICS[key];
    const dimensions = Object.fromEntries(Object.entries(definition.dimensions).map(([name, values]) => [name, values.at(-1)]));
    emfMetrics('switchyard-test-function').add(key, 7, dimensions as DimensionsOf<typeof key>);
    expect(printed()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number) as number,
          CloudWatchMetrics: [
            {
              Namespace: 'Switchyard',
              Dimensions: [['service', ...Object.keys(definition.dimensions)]],
              Metrics: [{ Name: definition.name, Unit: definition.unit }],
            },
          ],
        },
        service: 'switchyard-test-function',
        ...dimensions,
        [definition.name]: 7,
      },
    ]);
  });

  it('two points of one metric with other dimension values are two lines, each with its own values', () => {
    const metrics = emfMetrics('switchyard-test-function');
    metrics.add('reconcileRuns', 1, { Status: 'applied' });
    metrics.add('reconcileRuns', 1, { Status: 'partial' });
    expect(printed().map((line) => [line.Status, line.ReconcileRuns])).toEqual([
      ['applied', 1],
      ['partial', 1],
    ]);
  });
});
