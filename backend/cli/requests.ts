/**
 * `switchyard requests [--to-approve] [--json]`: the person's own requests, newest first, or with
 * `--to-approve` the pending requests they may approve now (never their own).
 */
import { API_ROUTES } from '../../shared/api/routes.ts';
import { printableJson } from '../../shared/printable.ts';
import { EXIT_OK, type Command } from './command.ts';
import { callApi } from './people/api-client.ts';
import { asPerson, requireApiUrl } from './people/person-command.ts';
import { parseRequestsArgs } from './people/request-args.ts';
import { requestsTable } from './people/request-view.ts';
import { accessToken } from './people/session-store.ts';

export const requests: Command = {
  words: ['requests'],
  usage: '[--to-approve] [--json] [--api URL]',
  summary: 'list your requests for access, or with --to-approve those waiting for your approval',
  async run(args, io) {
    const options = parseRequestsArgs(args);
    const api = requireApiUrl(options.api, io.env);
    return asPerson('requests', io, async () => {
      const token = await accessToken(io.env, api);
      const route = options.toApprove ? API_ROUTES.requestsToApprove : API_ROUTES.requestsMine;
      const { requests: found } = await callApi(api, route, { token });
      if (options.json) io.stdout(`${printableJson(found, 2)}\n`);
      else io.stdout(requestsTable(found, options.toApprove ? 'Nothing waits for your approval.' : 'You have no requests.'));
      return EXIT_OK;
    });
  },
};
