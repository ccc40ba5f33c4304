/** The `:id` of an elevation route: a request id, or a 404 (an id that could never exist is not looked up). */
import type { Context } from 'hono';
import { REQUEST_ID_PATTERN } from '../../shared/api/requests.ts';
import { HttpError } from './errors.ts';

export function requestIdOf(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!REQUEST_ID_PATTERN.test(id)) throw new HttpError(404, 'not_found', 'no such request: request ids are 16 characters of a-z and 2-7');
  return id;
}
