import { describe, expect, it } from 'vitest';
import { managedStorageSchema } from './managed-schema.ts';
import type { ManagedSchemaNode } from './managed-schema.ts';
import { DEFAULT_SETTINGS, SETTING_NAMES } from './settings.ts';

const CHROME_KEYWORDS = new Set(['type', 'title', 'description', 'properties', 'items', 'enum', 'pattern', 'minimum', 'maximum']);
const CHROME_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function* nodes(node: ManagedSchemaNode, path = '$'): Generator<[string, ManagedSchemaNode]> {
  yield [path, node];
  for (const [name, child] of Object.entries(node.properties ?? {})) yield* nodes(child, `${path}.${name}`);
  if (node.items) yield* nodes(node.items, `${path}[]`);
}

describe('the managed_schema generated from the settings schema', () => {
  const schema = managedStorageSchema();

  it('covers every setting at the top level, and nothing else', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual([...SETTING_NAMES].sort());
  });

  it("follows Chrome's rules: one type per schema, no additionalProperties or required, only keywords Chrome knows", () => {
    for (const [path, node] of nodes(schema)) {
      expect(CHROME_TYPES.has(node.type), `${path}.type`).toBe(true);
      for (const keyword of Object.keys(node)) expect(CHROME_KEYWORDS.has(keyword), `${path}: ${keyword}`).toBe(true);
    }
    expect(JSON.stringify(schema)).not.toMatch(/additionalProperties|required|\$schema|anyOf|oneOf/);
  });

  it('gives each setting the JSON type and choices the extension accepts', () => {
    const properties = schema.properties ?? {};
    expect(properties.apiUrl?.type).toBe('string');
    expect(properties.firefoxContainers?.type).toBe('boolean');
    expect(properties.openMode?.enum).toContain(DEFAULT_SETTINGS.openMode);
    expect(properties.signInMethod?.enum).toEqual(['auto', 'directory', 'cognito']);
    expect(properties.cognito?.properties?.scopes).toEqual({
      type: 'array',
      items: { type: 'string' },
      description: expect.any(String) as string,
    });
    const region = new RegExp(properties.defaultRegion?.pattern ?? '(?!)');
    // Region names as the AWS SDK's partition data has them: not any "two letters-word-digit".
    expect(['eu-west-1', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-123'].filter((name) => !region.test(name))).toEqual([]);
    expect(['xx-south-1', 'Europe', 'aws-global'].filter((name) => region.test(name))).toEqual([]);
    for (const name of SETTING_NAMES) expect(properties[name]?.description, name).toBeTruthy();
  });
});
