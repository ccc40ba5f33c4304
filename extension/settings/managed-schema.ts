/**
 * The manifest's `storage.managed_schema`, generated from the settings schema at build time (vite.config.ts
 * writes it as managed-schema.json), so the settings company policy may set cannot drift from the ones the
 * extension reads. Chrome accepts only a subset of JSON Schema, and refuses to load the whole extension when
 * the schema breaks its rules: the top level is an object without `additionalProperties`, each schema has
 * exactly one `type` (or a `$ref`), and `additionalProperties: false` is refused (checked in Chromium 156).
 * Rules the subset cannot say (https-only URLs) are checked by the extension itself (resolve.ts).
 */
import { z } from 'zod';
import { SettingsSchema } from './settings.ts';

export interface ManagedSchemaNode {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  title?: string;
  description?: string;
  properties?: Record<string, ManagedSchemaNode>;
  items?: ManagedSchemaNode;
  enum?: (string | number | boolean)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** The JSON Schema keywords Chrome's policy schema understands, of those the settings use. */
const KEPT_KEYWORDS = ['type', 'title', 'description', 'enum', 'pattern', 'minimum', 'maximum'] as const;

export function managedStorageSchema(): ManagedSchemaNode {
  const jsonSchema = z.toJSONSchema(SettingsSchema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
  return toManagedNode(jsonSchema, 'settings');
}

function toManagedNode(node: Record<string, unknown>, path: string): ManagedSchemaNode {
  if (typeof node.type !== 'string') {
    throw new Error(`managed_schema: ${path} has no single type (Chrome needs exactly one); keep policy settings to one JSON type each`);
  }
  const kept: Record<string, unknown> = {};
  for (const keyword of KEPT_KEYWORDS) if (node[keyword] !== undefined) kept[keyword] = node[keyword];
  if (node.properties !== undefined) {
    kept.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Record<string, unknown>>).map(([name, child]) => [
        name,
        toManagedNode(child, `${path}.${name}`),
      ]),
    );
  }
  if (node.items !== undefined) kept.items = toManagedNode(node.items as Record<string, unknown>, `${path}[]`);
  return kept as unknown as ManagedSchemaNode;
}
