/** Writes schema/*.schema.json: the policy files' schemas and the plan's, from their zod schemas (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedJsonSchemas } from '../shared/published-json-schemas.ts';

const folder = import.meta.dirname;
for (const [fileName, text] of Object.entries(publishedJsonSchemas())) {
  writeFileSync(join(folder, fileName), text);
  process.stdout.write(`wrote schema/${fileName}\n`);
}
