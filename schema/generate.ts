/** Writes schema/*.schema.json from the zod file schemas: `npx tsx schema/generate.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyJsonSchemas } from '../shared/policy/json-schemas.ts';

const folder = import.meta.dirname;
for (const [fileName, text] of Object.entries(policyJsonSchemas())) {
  writeFileSync(join(folder, fileName), text);
  process.stdout.write(`wrote schema/${fileName}\n`);
}
