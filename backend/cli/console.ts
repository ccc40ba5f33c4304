/**
 * `switchyard console --account <id|name> --permission-set <name> [--region R] [--destination D] [--print]`:
 * opens the AWS console for one pair in the browser, through POST /federate, as the extension does.
 * --print prints the sign-in URL instead: a bearer secret for 15 minutes, for a browser on this machine.
 */
import { API_ROUTES } from '../../shared/api/routes.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.ts';
import { callApi } from './people/api-client.ts';
import { accountIdOf } from './people/entitlement-target.ts';
import { openInBrowser } from './people/open-browser.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { accessToken } from './people/session-store.ts';

export const consoleCommand: Command = {
  words: ['console'],
  usage: '--account <id|name> --permission-set <name> [--region REGION] [--destination PATH|URL] [--print] [--api URL]',
  summary: 'open the AWS console for one of your entitlements (--print: print the sign-in URL instead)',
  help: `--destination takes a console path (/ec2/home#Instances:) or a console URL copied from the address bar.
The sign-in URL --print prints signs anyone who has it in for 15 minutes: do not paste it anywhere.`,
  async run(args, io) {
    const values = parseOptions(args, {
      account: { type: 'string' },
      'permission-set': { type: 'string' },
      region: { type: 'string' },
      destination: { type: 'string' },
      print: { type: 'boolean' },
      api: { type: 'string' },
    });
    const account = values.account;
    const permissionSet = values['permission-set'];
    if (account === undefined || permissionSet === undefined) throw new UsageError('--account and --permission-set are required');
    const api = requireApiUrl(values.api, io.env);
    return asPerson('console', io, async () => {
      const token = await accessToken(io.env, api);
      const accountId = await accountIdOf(api, token, account);
      const { url } = await callApi(api, API_ROUTES.federate, {
        token,
        body: {
          accountId,
          permissionSet,
          ...(values.region ? { region: values.region } : {}),
          ...(values.destination ? { destination: values.destination } : {}),
        },
      });
      if (values.print) {
        io.stdout(`${url}\n`);
        return EXIT_OK;
      }
      if (!(await openInBrowser(url, io.env))) {
        io.stderr('switchyard console: could not open a browser; run it again with --print and open the URL yourself\n');
        return EXIT_FAILED;
      }
      io.stderr(`Opening the console: ${permissionSet} in account ${accountId}.\n`);
      return EXIT_OK;
    });
  },
};
