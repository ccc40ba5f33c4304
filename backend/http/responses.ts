import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api/contract.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(statusCode: number, body: unknown): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
    body: JSON.stringify(body),
  };
}

export function apiError(statusCode: number, code: ApiErrorCode, message: string): HttpResult {
  const body: ApiErrorBody = { error: { code, message } };
  return json(statusCode, body);
}

/** An expected failure a route raises to answer with a 4xx/5xx error body. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
