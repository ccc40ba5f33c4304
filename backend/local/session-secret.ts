/**
 * The session key of `npm start`: generated once into .local/session-key (gitignored, readable by
 * its owner only), so a restart of the local stack keeps people signed in. Production reads its keys
 * from Secrets Manager or SSM (SWITCHYARD_SESSION_KEY_SECRET_ARN / _PARAMETER).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const LOCAL_DIR = fileURLToPath(new URL('../../.local/', import.meta.url));

export async function localSessionSecret(dir = LOCAL_DIR): Promise<string> {
  const file = `${dir}session-key`;
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing && Buffer.from(existing.trim(), 'base64').length >= 32) return existing.trim();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
