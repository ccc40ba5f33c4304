/**
 * The CLI's calls to the Switchyard API: the contract's routes (shared/api/routes.ts), answers checked by
 * their schemas, refusals as ApiRefused with the API's own code and message. Every call says it comes
 * from the CLI (X-Switchyard-Channel: cli), which the audit records.
 */
import { CHANNEL_HEADER } from '../../../shared/api/channel.ts';
import { ApiErrorBodySchema } from '../../../shared/api/errors.ts';
import type { ApiRoute, RequestOf, ResponseOf } from '../../../shared/api/routes.ts';
import { errorText } from '../../../shared/error-text.ts';

/** The API answered with an error body. */
export class ApiRefused extends Error {
  override readonly name = 'ApiRefused';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API could not be reached, or answered with something that is not the contract. */
export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';
}

const TIMEOUT_MS = 30_000;
/** What the audit record's userAgent shows for the CLI. */
const USER_AGENT = `switchyard-cli (Node ${process.versions.node}; ${process.platform})`;

export async function callApi<R extends ApiRoute>(
  api: string,
  route: R,
  options: { token?: string; body?: RequestOf<R>; params?: Record<string, string> } = {},
): Promise<ResponseOf<R>> {
  const path = pathOf(route.path, options.params ?? {});
  const headers: Record<string, string> = { [CHANNEL_HEADER]: 'cli', accept: 'application/json', 'user-agent': USER_AGENT };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${api}${path}`, {
      method: route.method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new ApiUnreachable(`cannot reach the Switchyard API at ${api} (${errorText(cause)})`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiUnreachable(`${api}${path} answered HTTP ${response.status} with something that is not JSON: is ${api} the Switchyard API?`);
  }
  if (!response.ok) {
    const refusal = ApiErrorBodySchema.safeParse(body);
    if (refusal.success) throw new ApiRefused(response.status, refusal.data.error.code, refusal.data.error.message);
    throw new ApiUnreachable(`${api}${path} answered HTTP ${response.status}: is ${api} the Switchyard API?`);
  }
  const parsed = route.response.safeParse(body);
  if (!parsed.success) throw new ApiUnreachable(`${api}${path} answered with something this CLI does not understand: update it`);
  return parsed.data as ResponseOf<R>;
}

/** The route's path with each `:name` replaced by its parameter, percent-encoded. */
export function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template} needs the parameter ${name}`);
    return encodeURIComponent(value);
  });
}
