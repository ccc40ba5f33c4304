/**
 * Lambda entry of the HTTP API (API Gateway HTTP API payload 2.0, or a function URL): the Hono app
 * assembled from the environment (docs/configuration.md lists the variables).
 */
import { handle } from 'hono/aws-lambda';
import { assembleApiApp } from '../assemble/api.ts';
import { apiConfig } from '../config/config.ts';

let lambdaHandler: Promise<ReturnType<typeof handle>> | undefined;

async function build() {
  return handle(await assembleApiApp(apiConfig(process.env)));
}

export async function handler(...args: Parameters<ReturnType<typeof handle>>) {
  lambdaHandler ??= build();
  return (await lambdaHandler)(...args);
}
