/**
 * `switchyard credentials --account <id|name> --permission-set <name> [--region R]`: prints temporary
 * credentials for one pair as `credential_process` JSON (Version 1, Expiration in ISO 8601), for the
 * profiles `switchyard configure` writes. Cached until a few minutes before they expire, since the AWS
 * CLI and the SDKs run it on every call. It never opens a browser: without a session it exits 3 with
 * "run switchyard login".
 */
import { EXIT_OK, UsageError, type Command } from './command.ts';
import { credentialProcessOutput } from './people/credential-cache.ts';
import { CREDENTIALS_OPTIONS } from './people/credentials-fast-path.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { roleCredentials } from './people/role-credentials.ts';

export const credentials: Command = {
  words: ['credentials'],
  usage: '--account <id|name> --permission-set <name> [--region REGION] [--api URL]',
  summary: "print temporary credentials for one of your entitlements, as the AWS CLI's credential_process reads them",
  async run(args, io) {
    const values = parseOptions(args, CREDENTIALS_OPTIONS);
    const account = values.account;
    const permissionSet = values['permission-set'];
    if (account === undefined || permissionSet === undefined) throw new UsageError('--account and --permission-set are required');
    const api = requireApiUrl(values.api, io.env);
    return asPerson('credentials', io, async () => {
      const issued = await roleCredentials(io.env, api, { account, permissionSet, ...(values.region ? { region: values.region } : {}) });
      io.stdout(credentialProcessOutput(issued));
      return EXIT_OK;
    });
  },
};
