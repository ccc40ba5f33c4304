/**
 * docs/configuration.md's table of variables, generated from the configuration schema
 * (backend/config/config.ts) so the two cannot drift: `npm run config:docs` rewrites the block between
 * the markers; docs-table.test.ts fails while they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { EnvSchema, REQUIRED_BY, type EnvName } from '../../backend/config/config.ts';

export const DOC_PATH = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
export const BEGIN = '<!-- configuration table: generated from backend/config/config.ts by `npm run config:docs` -->';
export const END = '<!-- end of configuration table -->';

export interface Variable {
  name: EnvName;
  description: string;
  /** The schema's default, as the part receives it; undefined when the variable has none. */
  defaultValue?: unknown;
  requiredBy: string[];
}

/** Every variable of the schema, in its order, with its description and default. */
export function variables(): Variable[] {
  return (Object.entries(EnvSchema.shape) as [EnvName, z.ZodType][]).map(([name, schema]) => {
    if (!schema.description) throw new Error(`${name} has no description in backend/config/config.ts (add .describe(...))`);
    const def = schema.def as { type: string; defaultValue?: unknown };
    return {
      name,
      description: schema.description,
      ...(def.type === 'default' ? { defaultValue: def.defaultValue } : {}),
      requiredBy: Object.entries(REQUIRED_BY)
        .filter(([, names]) => (names as readonly string[]).includes(name))
        .map(([entry]) => entry),
    };
  });
}

function defaultCell(value: unknown): string {
  if (value === undefined) return '';
  if (value === '') return '(empty)';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderTable(list: readonly Variable[] = variables()): string {
  return [
    '| variable | default | required by | what it sets |',
    '|---|---|---|---|',
    ...list
      .map((variable) =>
        [`\`${variable.name}\``, defaultCell(variable.defaultValue), variable.requiredBy.join(', '), variable.description].map(cell).join(' | '),
      )
      .map((row) => `| ${row} |`),
  ].join('\n');
}

/** The document with its marked block replaced by `table`; throws when the markers are missing. */
export function withTable(doc: string, table: string = renderTable()): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/configuration.md lacks the markers ${BEGIN} ... ${END}`);
  return `${doc.slice(0, begin + BEGIN.length)}\n${table}\n${doc.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const updated = withTable(doc);
  if (updated === doc) {
    console.log('docs/configuration.md: the table is up to date.');
  } else {
    writeFileSync(DOC_PATH, updated);
    console.log('docs/configuration.md: rewrote the table from backend/config/config.ts.');
  }
}
