/**
 * The command lines of the elevation commands, read without any I/O: a wrong one is a UsageError naming
 * the option or argument (exit 2), before anything is sent.
 */
import { parseArgs } from 'node:util';
import { REQUEST_ID_PATTERN } from '../../../shared/api/requests.ts';
import { parseCliDuration } from '../../../shared/cli/duration.ts';
import { asUsageError, UsageError } from '../command.ts';

export interface RequestArgs {
  account: string;
  permissionSet: string;
  durationSeconds?: number;
  justification?: string;
  json: boolean;
  api?: string;
}

/** What one request can be told: approve, deny, revoke and cancel take a reason; extend a duration and a justification. */
export type RequestAction = 'approve' | 'deny' | 'revoke' | 'cancel' | 'extend';

export interface ActionArgs {
  id: string;
  reason?: string;
  durationSeconds?: number;
  justification?: string;
  json: boolean;
  api?: string;
}

/** The ones that must say why (the API refuses them without a reason). */
const REASON_REQUIRED: ReadonlySet<RequestAction> = new Set(['deny', 'revoke']);

const COMMON = { json: { type: 'boolean' }, api: { type: 'string' } } as const;
const DURATION = { duration: { type: 'string' }, justification: { type: 'string' } } as const;
const REASON = { reason: { type: 'string' } } as const;

/** `<account> <permission-set> [--duration D] [--justification TEXT] [--json] [--api URL]` */
export function parseRequestArgs(args: string[]): RequestArgs {
  const { values, positionals } = parseStrict(args, { ...COMMON, ...DURATION }, ['<account>', '<permission-set>']);
  const [account, permissionSet] = positionals as [string, string];
  return {
    account,
    permissionSet,
    ...optionalDuration(values.duration),
    ...(values.justification !== undefined ? { justification: values.justification } : {}),
    json: values.json === true,
    ...(values.api !== undefined ? { api: values.api } : {}),
  };
}

/** `<id>` and, by action, `--reason TEXT` or `--duration D --justification TEXT`; `--json`, `--api URL`. */
export function parseActionArgs(action: RequestAction, args: string[]): ActionArgs {
  if (action === 'extend') {
    const { values, positionals } = parseStrict(args, { ...COMMON, ...DURATION }, ['<id>']);
    return {
      id: requestId(positionals[0] as string),
      ...optionalDuration(values.duration),
      ...(values.justification !== undefined ? { justification: values.justification } : {}),
      json: values.json === true,
      ...(values.api !== undefined ? { api: values.api } : {}),
    };
  }
  const { values, positionals } = parseStrict(args, { ...COMMON, ...REASON }, ['<id>']);
  const reason = values.reason;
  if (reason === undefined && REASON_REQUIRED.has(action)) throw new UsageError(`--reason is required: say why you ${action} it`);
  if (reason !== undefined && reason.trim() === '') throw new UsageError('--reason must not be empty');
  return {
    id: requestId(positionals[0] as string),
    ...(reason !== undefined ? { reason } : {}),
    json: values.json === true,
    ...(values.api !== undefined ? { api: values.api } : {}),
  };
}

/** `[--to-approve] [--json] [--api URL]` */
export function parseRequestsArgs(args: string[]): { toApprove: boolean; json: boolean; api?: string } {
  const { values } = parseStrict(args, { ...COMMON, 'to-approve': { type: 'boolean' } }, []);
  return { toApprove: values['to-approve'] === true, json: values.json === true, ...(values.api !== undefined ? { api: values.api } : {}) };
}

function optionalDuration(text: string | undefined): { durationSeconds?: number } {
  if (text === undefined) return {};
  const seconds = parseCliDuration(text);
  if (seconds === undefined) throw new UsageError(`--duration ${JSON.stringify(text)} is not a duration: write it as 2h, 90m, 1h30m or PT2H`);
  return { durationSeconds: seconds };
}

function requestId(text: string): string {
  if (!REQUEST_ID_PATTERN.test(text))
    throw new UsageError(`${JSON.stringify(text)} is not a request id (16 letters and digits, as switchyard requests shows them)`);
  return text;
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

/** Exactly the named positional arguments, and only the given options; anything else names what is wrong. */
function parseStrict<O extends Options>(args: string[], options: O, names: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw asUsageError(error);
  }
  const { positionals } = parsed;
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
  return parsed;
}
