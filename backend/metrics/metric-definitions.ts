/**
 * Every metric Switchyard emits, defined once: its name, unit, dimensions and which Lambda emits it. The
 * Lambdas write them as CloudWatch embedded metric format (emf-metrics.ts); the management template's
 * alarms name them, and a test holds each alarm to these definitions (test/integration/templates-alarms.test.ts).
 *
 * Dimensions are bounded words only (a status, a channel), never a person, an account or a role: each
 * value is a metric of its own to CloudWatch, and a person's name is nobody's business in a dashboard.
 */
import { ApiErrorCodeSchema } from '../../shared/api/errors.ts';
import type { RunStatus } from '../../shared/plan/report.ts';

export const METRICS_NAMESPACE = 'Switchyard';

/**
 * The dimension every metric carries: Powertools Metrics adds `service` to each, and Switchyard sets it to
 * the Lambda function's name, which is unique per deployment, so two deployments in one account never mix.
 */
export const SERVICE_DIMENSION = 'service';

/** The Lambdas, by the name of their bundle (backend/deploy/bundle-lambdas.ts). */
export type MetricsEmitter = 'api' | 'reconciler';

export interface MetricDefinition {
  name: string;
  unit: 'Count' | 'Seconds';
  emittedBy: MetricsEmitter;
  /** Each dimension, beside `service`, with the values it takes. */
  dimensions: Readonly<Record<string, readonly string[]>>;
}

/** The statuses a reconcile run of the Lambda ends with (a plan is never run there). */
export const RECONCILE_RUN_STATUSES = ['applied', 'partial', 'refused', 'invalid', 'deferred'] as const satisfies readonly RunStatus[];

/**
 * How an attempt at a role ended, as its audit record says (backend/api/federation-audit.ts): a console
 * opened, credentials issued, or the error code of the contract it was answered with, each of which has
 * one HTTP status (README, "Errors"). Finer than the status (forbidden, grant_required and console_only
 * are all 403), and complete by construction: a new error code is a new value here.
 */
const ROLE_ACCESS_OUTCOMES = ['opened', 'issued', ...ApiErrorCodeSchema.options] as const;

export const METRICS = {
  /** One per reconcile run, by how it ended. */
  reconcileRuns: { name: 'ReconcileRuns', unit: 'Count', emittedBy: 'reconciler', dimensions: { Status: RECONCILE_RUN_STATUSES } },
  /** Per run: member accounts that failed as a whole or had a role fail. */
  reconcileAccountsFailed: { name: 'ReconcileAccountsFailed', unit: 'Count', emittedBy: 'reconciler', dimensions: {} },
  /** Per run: managed roles created, updated and deleted. */
  reconcileRolesChanged: { name: 'ReconcileRolesChanged', unit: 'Count', emittedBy: 'reconciler', dimensions: {} },
  /** Per run that did not defer: how old the published policy (the one the API serves) is once the run ends; 0 when it just published. */
  publishedPolicyAge: { name: 'PublishedPolicyAgeSeconds', unit: 'Seconds', emittedBy: 'reconciler', dimensions: {} },
  /** One per POST /federate (Access console) and POST /credentials (Access credentials), by how it ended. */
  roleAccessAnswers: {
    name: 'RoleAccessAnswers',
    unit: 'Count',
    emittedBy: 'api',
    dimensions: { Access: ['console', 'credentials'], Outcome: ROLE_ACCESS_OUTCOMES },
  },
  /** A sign-in refused: a wrong user name or password (directory), a code the user pool did not accept (cognito). */
  signInFailures: { name: 'SignInFailures', unit: 'Count', emittedBy: 'api', dimensions: { Method: ['directory', 'cognito'] } },
  /** A password sign-in the failure limiter refused with 429, by what it counted: the source address or the person. */
  signInsSlowedDown: { name: 'SignInsSlowedDown', unit: 'Count', emittedBy: 'api', dimensions: { CountedBy: ['address', 'person'] } },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** The dimension values one data point of this metric carries, each one of its definition's values. */
export type DimensionsOf<K extends MetricKey> = {
  -readonly [D in keyof (typeof METRICS)[K]['dimensions']]: (typeof METRICS)[K]['dimensions'][D] extends readonly (infer V)[] ? V : never;
};
