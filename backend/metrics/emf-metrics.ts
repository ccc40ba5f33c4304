/**
 * The Metrics port over Powertools Metrics: each data point is one line of CloudWatch embedded metric
 * format on stdout, which Lambda sends to the function's log group and CloudWatch turns into the metric.
 * No API call, no grant, no wait: the line is written when the point is added.
 */
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { METRICS, METRICS_NAMESPACE, type DimensionsOf, type MetricKey } from './metric-definitions.ts';
import type { Metrics } from './metrics.ts';

/** `functionName`: the Lambda's own name, the `service` dimension of every point (metric-definitions.ts). */
export function emfMetrics(functionName: string): Metrics {
  const powertools = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: functionName });
  return {
    add<K extends MetricKey>(metric: K, value: number, dimensions: DimensionsOf<K>): void {
      const definition = METRICS[metric];
      // A metric of its own per point: points of one metric with other dimension values cannot share a line.
      const single = powertools.singleMetric();
      for (const [name, dimensionValue] of Object.entries(dimensions as Record<string, string>)) single.addDimension(name, dimensionValue);
      single.addMetric(definition.name, definition.unit, value);
    },
  };
}
