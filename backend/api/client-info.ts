/**
 * Who is calling, for the audit record: the source IP and the user agent. In Lambda the address comes
 * from API Gateway's request context (hono/aws-lambda), locally from the socket (@hono/node-server).
 */
import type { Context } from 'hono';
import { getConnInfo as lambdaConnInfo } from 'hono/aws-lambda';
import { getConnInfo as nodeConnInfo } from '@hono/node-server/conninfo';

const MAX_USER_AGENT = 256;

export interface ClientInfo {
  sourceIp?: string;
  userAgent?: string;
}

export function clientInfo(c: Context): ClientInfo {
  const address = sourceIp(c);
  const userAgent = c.req.header('user-agent')?.slice(0, MAX_USER_AGENT);
  return { ...(address ? { sourceIp: address } : {}), ...(userAgent ? { userAgent } : {}) };
}

function sourceIp(c: Context): string | undefined {
  const env = c.env as { requestContext?: unknown; incoming?: unknown; server?: unknown } | undefined;
  try {
    if (env?.requestContext) return lambdaConnInfo(c).remote.address;
    if (env?.incoming || env?.server) return nodeConnInfo(c).remote.address;
  } catch {
    // An event shape neither adapter knows: no address rather than a failed request.
  }
  return undefined;
}
