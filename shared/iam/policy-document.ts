/**
 * Policy documents compared by meaning, not by text. IAM hands documents back URL-encoded (real
 * AWS for every document, moto for inline ones), may reorder keys, and treats a single string and a
 * one-element list alike; none of that is a change worth a write.
 */

/** An IAM policy document as a JSON object. */
export type PolicyDocument = Record<string, unknown>;

/**
 * A policy's size as Switchyard counts it against IAM's quotas: the JSON the reconciler sends
 * (JSON.stringify, so no white space between tokens), in UTF-8 bytes, every character inside strings
 * counted. IAM's quota page (IAM_POLICY_SIZE_URL) gives the quotas in characters and says IAM does not
 * count white space; it does not say whether that holds inside strings, nor how a character above
 * U+007F counts (IAM's own LimitExceeded error speaks of bytes). Counting both in full is never below
 * any of those readings, so a policy this count accepts IAM accepts; it may refuse one IAM would take.
 */
export function policySize(document: unknown): number {
  return new TextEncoder().encode(JSON.stringify(document)).length;
}

/** Tab, line feed, carriage return and U+0020 to U+00FF: the only characters IAM allows in a policy document (IAM_POLICY_NAMES_URL). */
const DISALLOWED = /[^\t\n\r\u0020-\u00ff]/u;

export interface DisallowedCharacter {
  /** Where: the keys and indexes down to the string. */
  path: (string | number)[];
  /** In the key at `path`, or in the string value there. */
  part: 'key' | 'value';
  /** "U+20AC" */
  codePoint: string;
}

/** The first key or string of a document holding a character IAM refuses in policy documents, if any. */
export function disallowedCharacter(value: unknown, path: (string | number)[] = []): DisallowedCharacter | undefined {
  const found = (text: string, part: 'key' | 'value', at: (string | number)[]) => {
    const match = DISALLOWED.exec(text);
    return match ? { path: at, part, codePoint: `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` } : undefined;
  };
  if (typeof value === 'string') return found(value, 'value', path);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const inner = disallowedCharacter(item, [...path, index]);
      if (inner) return inner;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const inner = found(key, 'key', [...path, key]) ?? disallowedCharacter(item, [...path, key]);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Parses a document as IAM returns it: plain JSON or URL-encoded JSON. */
export function decodePolicyDocument(raw: string): PolicyDocument {
  const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed)) throw new Error('policy document is not a JSON object');
  return parsed;
}

/** Keys whose values IAM treats as unordered sets of strings. */
const SET_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

/** A canonical form: equal for documents IAM treats as equal. */
export function normalizePolicyDocument(document: PolicyDocument): unknown {
  const statements = document.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return {
    ...canonicalObject(document, 'document'),
    Statement: list.map((s) => canonical(s, 'statement')).sort(byJson),
  };
}

export function samePolicyDocument(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(normalizePolicyDocument(a)) === JSON.stringify(normalizePolicyDocument(b));
}

type Context = 'document' | 'statement' | 'principal' | 'condition' | 'operator' | 'plain';

function canonical(value: unknown, context: Context): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, 'plain'));
  if (isObject(value)) return canonicalObject(value, context);
  return value;
}

/** Keys sorted; built with Object.fromEntries, so every key ("__proto__" too) stays an own property. */
function canonicalObject(value: Record<string, unknown>, context: Context): Record<string, unknown> {
  const keys = Object.keys(value)
    .sort()
    .filter((key) => !(context === 'document' && key === 'Statement'));
  return Object.fromEntries(keys.map((key) => [key, canonicalChild(key, value[key], context)]));
}

function canonicalChild(key: string, child: unknown, context: Context): unknown {
  if (context === 'statement' && SET_KEYS.has(key)) return stringSet(child);
  if (context === 'statement' && (key === 'Principal' || key === 'NotPrincipal')) return child === '*' ? '*' : canonical(child, 'principal');
  if (context === 'statement' && key === 'Condition') return canonical(child, 'condition');
  if (context === 'condition') return canonical(child, 'operator');
  if (context === 'principal' || context === 'operator') return stringSet(child);
  return canonical(child, 'plain');
}

function stringSet(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return canonical(value, 'plain');
  return [...new Set(list.map(String))].sort();
}

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
