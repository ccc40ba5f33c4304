/** The published JSON Schemas (schema/*.schema.json), generated from the zod file schemas. */
import { z } from 'zod';
import { AccountsFileSchema, AssignmentsFileSchema, EligibilityFileSchema, PermissionSetFileSchema, SettingsFileSchema } from './file-schemas.ts';

const SCHEMAS = {
  'settings.schema.json': SettingsFileSchema,
  'accounts.schema.json': AccountsFileSchema,
  'permission-set.schema.json': PermissionSetFileSchema,
  'assignments.schema.json': AssignmentsFileSchema,
  'eligibility.schema.json': EligibilityFileSchema,
} as const;

/** File name -> JSON text (2-space indented, trailing newline), as committed under schema/. */
export function policyJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SCHEMAS).map(([fileName, schema]) => {
      const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
      return [fileName, `${JSON.stringify(json, null, 2)}\n`];
    }),
  );
}
