/**
 * Lambda entry of the HTTP API (API Gateway HTTP API payload 2.0, or a function URL): the Hono app
 * assembled from the environment (docs/configuration.md lists the variables), serving the web page
 * from the web/ folder `npm run package` puts beside this file's bundle.
 */
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { assembleApiApp } from '../assemble/api.ts';
import { apiConfig } from '../config/config.ts';
import { createLogger } from '../logging.ts';

type LambdaHandler = ReturnType<typeof handle>;

let built: Promise<{ handle: LambdaHandler; logger: ReturnType<typeof createLogger> }> | undefined;

async function build() {
  const config = apiConfig(process.env);
  const logger = createLogger('switchyard-api', config.logLevel);
  const webPageDir = fileURLToPath(new URL('./web/', import.meta.url));
  return { handle: handle(await assembleApiApp(config, { logger, webPageDir })), logger };
}

export async function handler(event: Parameters<LambdaHandler>[0], context: Context) {
  built ??= build();
  const api = await built;
  // Every line this invocation logs carries the request id, the function and whether it was a cold start.
  api.logger.addContext(context);
  return api.handle(event, context);
}
