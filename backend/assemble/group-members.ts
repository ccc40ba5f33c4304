/**
 * The group members port (backend/auth/group-members.ts) assembled from the configuration: the
 * sign-in directory (embedded file, or LDAP with its service account) and the Cognito user pool,
 * whichever are configured, as one. `switchyard policy plan --people` uses it.
 */
import type { AwsClientObserver } from '../aws/call-counter.ts';
import { createCognitoIdentityProviderClient, createSecretsManagerClient, type AwsSettings } from '../aws/clients.ts';
import { cognitoGroupMembers } from '../auth/cognito-group-members.ts';
import { readEmbeddedDirectoryFile } from '../auth/embedded-directory.ts';
import { embeddedGroupMembers } from '../auth/embedded-group-members.ts';
import { combinedGroupMembers, type GroupMembers } from '../auth/group-members.ts';
import { readLdapCaBundle } from '../auth/ldap/ca-bundle.ts';
import { ldapGroupMembers } from '../auth/ldap/ldap-group-members.ts';
import { secretsManagerText } from '../auth/secret-values.ts';
import type { GroupMembersConfig } from '../config/config.ts';

export interface GroupMembersExtras {
  credentials?: AwsSettings['credentials'];
  /** Sees the AWS clients built (tests record what is sent). */
  awsObserver?: AwsClientObserver;
}

export async function assembleGroupMembers(config: GroupMembersConfig, extras: GroupMembersExtras = {}): Promise<GroupMembers> {
  const aws: AwsSettings = { ...config.aws, ...(extras.credentials ? { credentials: extras.credentials } : {}) };
  const sources: GroupMembers[] = [];
  const directory = config.directory;
  if (directory.kind === 'embedded')
    sources.push(embeddedGroupMembers(await readEmbeddedDirectoryFile(directory.file), `the directory file ${directory.file}`));
  if (directory.kind === 'ldap') {
    const ldap = directory.ldap;
    const service = ldap.serviceAccount;
    if (!service)
      throw new Error('SWITCHYARD_LDAP_SERVICE_ACCOUNT is not set: the directory is searched for group members as that read-only account');
    const ca = ldap.caFile ? await readLdapCaBundle(ldap.caFile) : undefined;
    const secrets = createSecretsManagerClient(aws);
    extras.awsObserver?.attach(secrets, 'people');
    sources.push(
      ldapGroupMembers({
        transport: { urls: ldap.urls, ...(ca !== undefined ? { ca } : {}), startTls: ldap.startTls, timeoutMs: ldap.timeoutMs },
        baseDn: ldap.baseDn,
        groups: ldap.groups,
        upnSuffixes: ldap.upnSuffixes,
        serviceAccount: { bindName: service.bindName, password: secretsManagerText(secrets, service.passwordSecretArn, 0) },
      }),
    );
  }
  if (config.cognitoUserPoolId) {
    const client = createCognitoIdentityProviderClient(aws);
    extras.awsObserver?.attach(client, 'people');
    sources.push(cognitoGroupMembers(client, config.cognitoUserPoolId));
  }
  const [only] = sources;
  return sources.length === 1 && only ? only : combinedGroupMembers(sources);
}
