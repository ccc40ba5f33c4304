/**
 * `switchyard approve|deny|revoke|cancel <id> [--reason TEXT]` and `switchyard extend <id> [--duration D]
 * [--justification TEXT]`: one change to one request, as docs/elevation.md lists who may make it. Deny
 * and revoke need a reason. Prints the request as it stands after the change.
 */
import type { RequestView } from '../../shared/api/requests.ts';
import { API_ROUTES } from '../../shared/api/routes.ts';
import { EXIT_OK, type CliIo, type Command } from './command.ts';
import { callApi } from './people/api-client.ts';
import { asPerson, requireApiUrl } from './people/person-command.ts';
import { parseActionArgs, type ActionArgs, type RequestAction } from './people/request-args.ts';
import { printRequest } from './people/request-view.ts';
import { accessToken } from './people/session-store.ts';

type Send = (api: string, token: string, args: ActionArgs) => Promise<RequestView>;

const withReason = (args: ActionArgs) => (args.reason !== undefined ? { reason: args.reason } : {});

function actionCommand(action: RequestAction, usage: string, summary: string, send: Send): Command {
  return {
    words: [action],
    usage: `${usage} [--json] [--api URL]`,
    summary,
    async run(argv: string[], io: CliIo) {
      const args = parseActionArgs(action, argv);
      const api = requireApiUrl(args.api, io.env);
      return asPerson(action, io, async () => {
        printRequest(io, await send(api, await accessToken(io.env, api), args), args.json);
        return EXIT_OK;
      });
    },
  };
}

export const approve = actionCommand(
  'approve',
  '<id> [--reason TEXT]',
  "approve someone's request (switchyard requests --to-approve lists them)",
  (api, token, args) => callApi(api, API_ROUTES.requestApprove, { token, params: { id: args.id }, body: withReason(args) }),
);

export const deny = actionCommand('deny', '<id> --reason TEXT', "deny someone's request, saying why", (api, token, args) =>
  callApi(api, API_ROUTES.requestDeny, { token, params: { id: args.id }, body: { reason: args.reason ?? '' } }),
);

export const revoke = actionCommand('revoke', '<id> --reason TEXT', 'end a grant now: your own, or one you may approve', (api, token, args) =>
  callApi(api, API_ROUTES.requestRevoke, { token, params: { id: args.id }, body: { reason: args.reason ?? '' } }),
);

export const cancel = actionCommand('cancel', '<id> [--reason TEXT]', 'withdraw your own pending request', (api, token, args) =>
  callApi(api, API_ROUTES.requestCancel, { token, params: { id: args.id }, body: withReason(args) }),
);

export const extend = actionCommand(
  'extend',
  '<id> [--duration 30m] [--justification TEXT]',
  'extend your active grant, as far as its rule allows (default: the most one extension may add)',
  (api, token, args) =>
    callApi(api, API_ROUTES.grantExtend, {
      token,
      params: { id: args.id },
      body: {
        ...(args.durationSeconds !== undefined ? { durationSeconds: args.durationSeconds } : {}),
        ...(args.justification !== undefined ? { justification: args.justification } : {}),
      },
    }),
);
