/**
 * `switchyard request <account> <permission-set> [--duration 2h] [--justification TEXT]`: asks for a pair
 * the person is eligible for (docs/elevation.md). The account is an id or a name, as `switchyard list`
 * shows it. Prints the request: active at once when the pair needs no approval, else pending.
 */
import { API_ROUTES } from '../../shared/api/routes.ts';
import { EXIT_OK, type Command } from './command.ts';
import { callApi } from './people/api-client.ts';
import { accountIdOf } from './people/entitlement-target.ts';
import { asPerson, requireApiUrl } from './people/person-command.ts';
import { parseRequestArgs } from './people/request-args.ts';
import { printRequest } from './people/request-view.ts';
import { accessToken } from './people/session-store.ts';

export const request: Command = {
  words: ['request'],
  usage: '<account> <permission-set> [--duration 2h] [--justification TEXT] [--json] [--api URL]',
  summary: 'ask for a permission set you are eligible for, for a while (switchyard list marks them)',
  help: "The duration defaults to the rule's; write it as 2h, 90m, 1h30m or PT2H. The rule may require a justification, such as a ticket id.\n",
  async run(args, io) {
    const asked = parseRequestArgs(args);
    const api = requireApiUrl(asked.api, io.env);
    return asPerson('request', io, async () => {
      const token = await accessToken(io.env, api);
      const accountId = await accountIdOf(api, token, asked.account);
      const body = {
        accountId,
        permissionSet: asked.permissionSet,
        ...(asked.durationSeconds !== undefined ? { durationSeconds: asked.durationSeconds } : {}),
        ...(asked.justification !== undefined ? { justification: asked.justification } : {}),
      };
      printRequest(io, await callApi(api, API_ROUTES.requestCreate, { token, body }), asked.json);
      return EXIT_OK;
    });
  },
};
