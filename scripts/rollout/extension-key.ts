/**
 * The Chrome extension ID and the manifest `key` both follow from the RSA key the CRX is signed with: the ID
 * is the first 128 bits of the SHA-256 of the public key (DER SubjectPublicKeyInfo), written with the
 * letters a-p; the manifest `key` is that public key in base64. Same key, same ID, on every machine.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorText } from '../../shared/error-text.ts';

export function extensionIdOf(publicKeySpkiDer: Buffer): string {
  const hex = createHash('sha256').update(publicKeySpkiDer).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** The extension ID of a manifest `key` (base64 DER SubjectPublicKeyInfo). */
export function extensionIdOfManifestKey(manifestKey: string): string {
  return extensionIdOf(Buffer.from(manifestKey, 'base64'));
}

export interface ExtensionKey {
  /** The manifest `key`: the public key, base64 DER SubjectPublicKeyInfo. */
  manifestKey: string;
  extensionId: string;
  /** True when this call created the key file. */
  created: boolean;
}

/** Reads a PEM private key, creating it (RSA 2048, readable by its owner only) if the file does not exist yet. */
export function loadOrCreateSigningKey(pemPath: string): ExtensionKey {
  let created = false;
  if (!existsSync(pemPath)) {
    mkdirSync(dirname(pemPath), { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(pemPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    created = true;
  }
  let der: Buffer;
  try {
    der = createPublicKey(readFileSync(pemPath)).export({ type: 'spki', format: 'der' });
  } catch (error) {
    throw new Error(`${pemPath} is not a PEM private key (${errorText(error)})`);
  }
  return { manifestKey: der.toString('base64'), extensionId: extensionIdOf(der), created };
}
