/**
 * The metrics port: handlers add data points of the metrics defined in metric-definitions.ts; the Lambdas
 * write them as embedded metric format (emf-metrics.ts), tests record them (recording-metrics.ts), and
 * everything else (the CLI, `npm start`) drops them.
 */
import type { DimensionsOf, MetricKey } from './metric-definitions.ts';

export interface Metrics {
  add<K extends MetricKey>(metric: K, value: number, dimensions: DimensionsOf<K>): void;
}

export const noMetrics: Metrics = { add: () => undefined };
