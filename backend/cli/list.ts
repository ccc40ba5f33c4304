/**
 * `switchyard list [--json|--csv]`: the person's entitlements, as the popup lists them (the same order):
 * a table by default, the API's entitlements as JSON, or CSV. Names are printed as harmless text.
 */
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { printable, printableJson } from '../../shared/printable.ts';
import { EXIT_OK, UsageError, type Command } from './command.ts';
import { listEntitlements } from './people/entitlement-target.ts';
import { asPerson, parseOptions, requireApiUrl } from './people/person-command.ts';
import { accessToken } from './people/session-store.ts';
import { textTable } from './people/text-table.ts';
import { eligibilityMark } from './people/request-view.ts';

export const list: Command = {
  words: ['list'],
  usage: '[--json | --csv] [--api URL]',
  summary: 'list the accounts and permission sets you may use',
  async run(args, io) {
    const values = parseOptions(args, { json: { type: 'boolean' }, csv: { type: 'boolean' }, api: { type: 'string' } });
    if (values.json && values.csv) throw new UsageError('--json or --csv, not both');
    const api = requireApiUrl(values.api, io.env);
    return asPerson('list', io, async () => {
      const entitlements = await listEntitlements(api, await accessToken(io.env, api));
      if (values.json) io.stdout(`${printableJson(entitlements, 2)}\n`);
      else if (values.csv) io.stdout(csvOf(entitlements));
      else io.stdout(tableOf(entitlements));
      return EXIT_OK;
    });
  },
};

const CSV_COLUMNS = ['accountName', 'accountId', 'permissionSet', 'regions', 'sessionDurationSeconds', 'consoleOnly'] as const;

function csvOf(entitlements: Entitlement[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const rows = entitlements.map((e) =>
    [e.accountName, e.accountId, e.permissionSet, e.regions.join(' '), String(e.sessionDurationSeconds), e.consoleOnly ? 'true' : 'false']
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

function tableOf(entitlements: Entitlement[]): string {
  if (entitlements.length === 0) return 'You have no entitlements: ask your Switchyard administrator.\n';
  const rows = entitlements.map((e) => [
    printable(e.accountName),
    e.accountId,
    printable(e.permissionSet),
    printable(e.regions.join(',')),
    [e.consoleOnly ? 'console only' : '', eligibilityMark(e)].filter(Boolean).join(', '),
  ]);
  return textTable(['ACCOUNT', 'ID', 'PERMISSION SET', 'REGIONS', ''], rows);
}
