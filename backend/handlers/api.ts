/**
 * Lambda entry of the HTTP API (API Gateway HTTP API payload 2.0, or a function URL): the Hono app
 * assembled from the environment (docs/configuration.md lists the variables), serving the web page
 * from the web/ folder `npm run package` puts beside this file's bundle.
 */
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { makeApiApp } from '../api/app.ts';
import { assembleApi } from '../assemble/api.ts';
import { apiConfig } from '../config/config.ts';
import { createLogger } from '../logging.ts';
import { emfMetrics } from '../metrics/emf-metrics.ts';

type LambdaHandler = ReturnType<typeof handle>;

let built: Promise<{ handle: LambdaHandler; logger: ReturnType<typeof createLogger>; afterAnswer: () => Promise<void> }> | undefined;

async function build(functionName: string) {
  const config = apiConfig(process.env);
  const logger = createLogger('switchyard-api', config.logLevel);
  const webPageDir = fileURLToPath(new URL('./web/', import.meta.url));
  const deps = await assembleApi(config, { logger, webPageDir, metrics: emfMetrics(functionName) });
  return { handle: handle(makeApiApp(deps)), logger, afterAnswer: () => deps.lastUse.settled() };
}

export async function handler(event: Parameters<LambdaHandler>[0], context: Context) {
  built ??= build(context.functionName);
  const api = await built;
  // Every line this invocation logs carries the request id, the function and whether it was a cold start.
  api.logger.addContext(context);
  const answer = await api.handle(event, context);
  // Writes started after the answer (last use) finish before the invocation ends: a frozen or recycled
  // environment would lose them. Their failures are logged, never thrown into the answer.
  await api.afterAnswer();
  return answer;
}
