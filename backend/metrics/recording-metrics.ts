/** A Metrics port that keeps every data point, for tests of the handlers that add them. */
import type { DimensionsOf, MetricKey } from './metric-definitions.ts';
import type { Metrics } from './metrics.ts';

export interface RecordedMetric {
  metric: MetricKey;
  value: number;
  dimensions: Record<string, string>;
}

export class RecordingMetrics implements Metrics {
  readonly recorded: RecordedMetric[] = [];

  add<K extends MetricKey>(metric: K, value: number, dimensions: DimensionsOf<K>): void {
    this.recorded.push({ metric, value, dimensions: { ...dimensions } as Record<string, string> });
  }

  /** The data points of one metric. */
  of(metric: MetricKey): RecordedMetric[] {
    return this.recorded.filter((point) => point.metric === metric);
  }
}
