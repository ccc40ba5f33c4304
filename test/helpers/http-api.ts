/** Test helper: calls the HTTP API over real HTTP and checks error bodies the way every API test does. */
import { expect } from 'vitest';
import type { ApiErrorBody } from '../../shared/api/errors.ts';
import type { SessionResponse } from '../../shared/api/session.ts';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export function apiCaller(apiUrl: () => string) {
  async function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<ApiAnswer> {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    const response = await fetch(`${apiUrl()}${path}`, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function signIn(username: string, password: string): Promise<SessionResponse> {
    const response = await call('/session', { method: 'POST', json: { username, password } });
    expect(response.status).toBe(200);
    return response.body as SessionResponse;
  }

  return { call, signIn };
}

/** The answer is the error `status`/`code`, with a message and no stack trace; returns the message. */
export function expectError(response: ApiAnswer, status: number, code: string): string {
  expect({ status: response.status, code: (response.body as ApiErrorBody | undefined)?.error?.code }).toEqual({ status, code });
  const message = (response.body as ApiErrorBody).error.message;
  expect(message.length).toBeGreaterThan(0);
  expect(response.text).not.toMatch(/\n\s+at /);
  return message;
}
