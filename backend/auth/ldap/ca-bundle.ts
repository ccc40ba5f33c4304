/**
 * The CA bundle LDAPS certificates must chain to (SWITCHYARD_LDAP_CA_FILE): read once at start, and
 * refused unless it holds a PEM certificate, so a wrong file stops the cold start with its name
 * rather than failing every sign-in with a TLS error.
 */
import { readFile } from 'node:fs/promises';

/** True when `text` holds at least one PEM certificate. */
export function holdsPemCertificate(text: string): boolean {
  return text.includes('-----BEGIN CERTIFICATE-----');
}

export async function readLdapCaBundle(file: string): Promise<string> {
  let ca: string;
  try {
    ca = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`SWITCHYARD_LDAP_CA_FILE ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!holdsPemCertificate(ca)) throw new Error(`SWITCHYARD_LDAP_CA_FILE ${file} holds no PEM certificate`);
  return ca;
}
