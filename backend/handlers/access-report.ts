/**
 * Lambda entry of the scheduled access report (docs/access-review.md, "Scheduled"): each tick of the
 * schedule makes the report into the policy bucket's `_switchyard/reports/` and announces it. The
 * event says who asked: the schedule's rule, or someone invoking the function by hand.
 */
import type { Context } from 'aws-lambda';
import type { ReportNotice } from '../access/report-notice.ts';
import type { ReportTrigger } from '../access/scheduled-report.ts';
import { makeScheduledReport } from '../access/scheduled-report.ts';
import { assembleScheduledReport } from '../assemble/scheduled-report.ts';
import { scheduledReportConfig } from '../config/config.ts';
import { createLogger } from '../logging.ts';

export interface AccessReportHandlerDeps {
  report: (trigger: ReportTrigger) => Promise<ReportNotice>;
  now?: () => Date;
}

export function makeHandler(deps: AccessReportHandlerDeps) {
  return async (event: unknown): Promise<ReportNotice> => deps.report({ by: requesterOf(event), now: (deps.now ?? (() => new Date()))() });
}

/** An EventBridge scheduled event names its rule in `resources`; anything else was invoked by hand. */
export function requesterOf(event: unknown): string {
  if (typeof event === 'object' && event !== null && (event as { 'detail-type'?: unknown })['detail-type'] === 'Scheduled Event') {
    const [rule] = ((event as { resources?: unknown }).resources as unknown[] | undefined) ?? [];
    if (typeof rule === 'string') return `schedule ${rule}`;
  }
  return 'a direct invocation';
}

let instance: { handle: ReturnType<typeof makeHandler>; logger: ReturnType<typeof createLogger> } | undefined;

export async function handler(event: unknown, context: Context): Promise<ReportNotice> {
  if (!instance) {
    const config = scheduledReportConfig(process.env);
    const logger = createLogger('switchyard-access-report', config.logLevel);
    const deps = assembleScheduledReport(config, { logger });
    instance = { logger, handle: makeHandler({ report: (trigger) => makeScheduledReport(deps, trigger) }) };
  }
  instance.logger.addContext(context);
  return instance.handle(event);
}
