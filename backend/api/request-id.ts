import { randomBytes } from 'node:crypto';
import { REQUEST_ID_LENGTH } from '../broker/session-name.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A click's id: 12 characters of [a-z2-7] (60 random bits), safe in a role session name. */
export function newRequestId(): string {
  const bytes = randomBytes(REQUEST_ID_LENGTH);
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
