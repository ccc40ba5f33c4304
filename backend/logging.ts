import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (Powertools). Never pass secrets: passwords, tokens, credentials, sign-in URLs. */
export type AppLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createLogger(serviceName: string, logLevel = process.env.SWITCHYARD_LOG_LEVEL ?? 'INFO'): Logger {
  return new Logger({ serviceName, logLevel: logLevel as 'INFO' });
}
