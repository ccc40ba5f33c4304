import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedJsonSchemas } from '../published-json-schemas.ts';
import { policyJsonSchemas } from './json-schemas.ts';

const folder = join(import.meta.dirname, '../../schema');

describe('published JSON Schemas', () => {
  it('are committed exactly as generated (run `npm run schema` after changing file-schemas.ts or plan-document.ts)', () => {
    const generated = publishedJsonSchemas();
    const committed = Object.fromEntries(
      readdirSync(folder)
        .filter((name) => name.endsWith('.schema.json'))
        .map((name) => [name, readFileSync(join(folder, name), 'utf8')]),
    );
    expect(committed).toEqual(generated);
  });

  it('forbid unknown keys and describe account ids as 12-digit strings', () => {
    const accounts = JSON.parse(policyJsonSchemas()['accounts.schema.json']!) as {
      additionalProperties: boolean;
      properties: { accounts: { items: { properties: { id: { type: string; pattern: string } } } } };
    };
    expect(accounts.additionalProperties).toBe(false);
    expect(accounts.properties.accounts.items.properties.id).toMatchObject({ type: 'string', pattern: '^\\d{12}$' });
  });
});
