/**
 * What AWS puts on the wire for IAM and STS (the query protocol: a form body in, XML out) and for
 * Organizations (JSON 1.1: an X-Amz-Target header, JSON both ways), errors included, as the SDK's
 * own parsers read them: a throttling answer must be one the SDK's retry strategy recognizes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Service = 'iam' | 'sts' | 'organizations' | 's3' | 'sqs' | 'dynamodb' | 'unknown';

/** The service a signed request is for: Organizations by its target header, the others by the SigV4 credential scope. */
export function serviceOf(headers: IncomingHttpHeaders): Service {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AWSOrganizationsV20161128.')) return 'organizations';
  const scope = credentialScope(headers);
  const known = ['iam', 'sts', 's3', 'sqs', 'dynamodb'] as const;
  const service = known.find((name) => name === scope?.service);
  if (service) return service;
  return 'unknown';
}

/** The access key and service named by a SigV4 Authorization header. */
export function credentialScope(headers: IncomingHttpHeaders): { accessKeyId: string; service: string } | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  return match ? { accessKeyId: match[1] ?? '', service: match[2] ?? '' } : undefined;
}

// --- Query protocol (IAM, STS) ------------------------------------------------------------------

export type QueryParams = URLSearchParams;

/** "Tags.member.1.Key" ... as a list of records; "TagKeys.member.1" ... as a list of strings. */
export function memberList(params: QueryParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) values.push(params.get(`${name}.member.${i}`) ?? '');
  return values;
}

export function memberRecords(params: QueryParams, name: string, fields: string[]): Record<string, string>[] {
  const records: Record<string, string>[] = [];
  for (let i = 1; params.has(`${name}.member.${i}.${fields[0]}`); i++) {
    records.push(Object.fromEntries(fields.map((field) => [field, params.get(`${name}.member.${i}.${field}`) ?? ''])));
  }
  return records;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/** `<name>text</name>`, or nothing for an undefined value. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlText(value)}</${name}>`;
}

/** `<name><member>...</member>...</name>` from already-built member contents. */
export function members(name: string, items: string[]): string {
  return `<${name}>${items.map((item) => `<member>${item}</member>`).join('')}</${name}>`;
}

export function queryAnswer(namespace: string, action: string, result?: string): Answer {
  const body =
    `<${action}Response xmlns="${namespace}">` +
    (result === undefined ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

/** AWS's query-protocol error document, e.g. IAM's or STS's "Throttling: Rate exceeded" (HTTP 400). */
export function queryError(namespace: string, status: number, code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): Answer {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

// --- JSON 1.1 (Organizations) -------------------------------------------------------------------

export function jsonAnswer(body: unknown): Answer {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

/** A JSON 1.1 error: its type in `__type` and in the x-amzn-ErrorType header, as AWS sends it. */
export function jsonError(status: number, type: string, message: string): Answer {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${type}:`, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: type, Message: message }),
  };
}

/** An opaque paging token over a position in a listing, bound to what is listed so a token from one listing fails on another. */
export function pageToken(listing: string, position: number): string {
  return Buffer.from(JSON.stringify({ listing, position })).toString('base64url');
}

export function pagePosition(listing: string, token: string | null | undefined): number | 'invalid' {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { listing?: unknown; position?: unknown };
    return parsed.listing === listing && typeof parsed.position === 'number' && parsed.position >= 0 ? parsed.position : 'invalid';
  } catch {
    return 'invalid';
  }
}
