/**
 * Names that reach AWS for a person (docs/console-access.md, "Session names"): the role session name
 * `<person>+<request id>` and the `switchyard:user` tag value. STS allows [\w+=,.@-] in session names,
 * session tag values allow letters, digits, spaces and _.:/=+-@; an id within [\w+=.@-] (both rules) and
 * short enough is used as it is, any other is mapped the same way every time, with a hash of the id so two
 * different people never share a name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CLICK_ID_LENGTH } from '../../shared/naming.ts';

const SAFE = /^[\w+=.@-]+$/;
const UNSAFE_CHARACTER = /[^\w+=.@-]/g;
const HASH_LENGTH = 8;

/** STS: 2 to 64 characters (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html, RoleSessionName). */
export const MAX_SESSION_NAME_LENGTH = 64;
/** Session tag values: at most 256 characters (https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html). */
export const MAX_SESSION_TAG_VALUE_LENGTH = 256;
/** Request ids are 12 characters; the person's part gets the rest of the session name. */
export const REQUEST_ID_LENGTH = CLICK_ID_LENGTH;
const PERSON_PART_LENGTH = MAX_SESSION_NAME_LENGTH - REQUEST_ID_LENGTH - 1;

export interface MappedIdentifier {
  value: string;
  /** True when the id could not be used as it is. */
  mapped: boolean;
}

/** `id` as it is when it is safe and fits, else its safe characters, cut, plus "-" and 8 hex digits of its SHA-256. */
export function mapIdentifier(id: string, maxLength: number): MappedIdentifier {
  if (id.length <= maxLength && SAFE.test(id)) return { value: id, mapped: false };
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return { value: `${id.replace(UNSAFE_CHARACTER, '_').slice(0, maxLength - HASH_LENGTH - 1)}-${hash}`, mapped: true };
}

export function sessionNameFor(userId: string, requestId: string): { sessionName: string; person: MappedIdentifier } {
  const person = mapIdentifier(userId, PERSON_PART_LENGTH);
  return { sessionName: `${person.value}+${requestId}`, person };
}

/** The person's part of every role session name the broker gives them: what a revocation's deny matches. */
export function sessionNamePersonPart(userId: string): string {
  return mapIdentifier(userId, PERSON_PART_LENGTH).value;
}

export function userTagValue(userId: string): MappedIdentifier {
  return mapIdentifier(userId, MAX_SESSION_TAG_VALUE_LENGTH);
}

const REQUEST_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A click's id: 12 characters of [a-z2-7] (60 random bits), safe in a role session name. */
export function newRequestId(): string {
  return Array.from(randomBytes(REQUEST_ID_LENGTH), (byte) => REQUEST_ID_ALPHABET[byte % REQUEST_ID_ALPHABET.length]).join('');
}
