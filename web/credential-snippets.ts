/**
 * What the credentials panel shows for one pair's temporary credentials, ready to paste: environment
 * variables for bash (and zsh) and for PowerShell, a profile for ~/.aws/credentials, and the ~/.aws/config
 * profile `switchyard configure` writes, whose credential_process fetches fresh ones on every use.
 * Values are quoted for each shell; a value that is not plain printable ASCII is refused rather than
 * pasted into a shell.
 */
import { profileNameFor, credentialProcessCommand } from '../shared/cli/aws-profiles.ts';

export interface TemporaryCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
  Region: string;
}

export interface Pair {
  accountId: string;
  accountName: string;
  permissionSet: string;
}

export interface CredentialSnippets {
  bash: string;
  powershell: string;
  credentialsFile: string;
  configProfile: string;
}

/** AWS's key ids, secrets, session tokens and region names: printable ASCII, no space. */
const PLAIN = /^[\x21-\x7e]+$/;

const bashQuoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const powershellQuoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function credentialSnippets(pair: Pair, credentials: TemporaryCredentials): CredentialSnippets | undefined {
  const { AccessKeyId, SecretAccessKey, SessionToken, Region } = credentials;
  if (![AccessKeyId, SecretAccessKey, SessionToken, Region].every((value) => PLAIN.test(value))) return undefined;
  const variables: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', AccessKeyId],
    ['AWS_SECRET_ACCESS_KEY', SecretAccessKey],
    ['AWS_SESSION_TOKEN', SessionToken],
    ['AWS_REGION', Region],
  ];
  const profile = profileNameFor(pair);
  return {
    bash: variables.map(([name, value]) => `export ${name}=${bashQuoted(value)}`).join('\n'),
    powershell: variables.map(([name, value]) => `$Env:${name} = ${powershellQuoted(value)}`).join('\n'),
    credentialsFile: [
      `[${profile}]`,
      `aws_access_key_id = ${AccessKeyId}`,
      `aws_secret_access_key = ${SecretAccessKey}`,
      `aws_session_token = ${SessionToken}`,
    ].join('\n'),
    configProfile: [`[profile ${profile}]`, `credential_process = ${credentialProcessCommand(pair)}`, `region = ${Region}`].join('\n'),
  };
}
