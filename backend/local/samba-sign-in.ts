/** The sign-in settings for a Samba domain (backend/local/samba.ts): LDAPS, its test CA, its service account's password in moto's Secrets Manager. */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../aws/clients.ts';
import type { EnvInput } from '../config/config.ts';
import type { MotoServer } from './moto.ts';
import { DOMAIN, type SambaDomain } from './samba.ts';

export async function ldapSignInEnv(domain: SambaDomain, moto: MotoServer): Promise<EnvInput> {
  const secret = await createSecretsManagerClient(moto.settings).send(
    new CreateSecretCommand({ Name: `switchyard/ldap-service-${randomBytes(4).toString('hex')}`, SecretString: domain.service.password }),
  );
  if (!secret.ARN) throw new Error('moto created no secret');
  return {
    SWITCHYARD_DIRECTORY: 'ldap',
    SWITCHYARD_LDAP_URLS: domain.ldapsUrl,
    SWITCHYARD_LDAP_CA_FILE: domain.caFile,
    SWITCHYARD_LDAP_BASE_DN: DOMAIN.baseDn,
    SWITCHYARD_LDAP_UPN_SUFFIXES: `${DOMAIN.dnsName},example.com`,
    SWITCHYARD_LDAP_NETBIOS_DOMAIN: DOMAIN.netbios,
    SWITCHYARD_LDAP_GROUPS: 'ad-nested',
    SWITCHYARD_LDAP_SERVICE_ACCOUNT: domain.service.bindName,
    SWITCHYARD_LDAP_SERVICE_PASSWORD_SECRET_ARN: secret.ARN,
  };
}
