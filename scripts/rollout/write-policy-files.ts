/** `npm run policy-files`: writes the example policy files in deploy/browser-policies/ (a unit test fails when they drift). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_POLICY_FOLDER, EXAMPLE_POLICY_INPUT } from './example-policy.ts';
import { renderPolicyFiles } from './policy-files.ts';

const folder = join(fileURLToPath(new URL('../..', import.meta.url)), EXAMPLE_POLICY_FOLDER);
mkdirSync(folder, { recursive: true });
for (const [name, content] of Object.entries(renderPolicyFiles(EXAMPLE_POLICY_INPUT))) {
  writeFileSync(join(folder, name), content);
  console.log(`wrote ${EXAMPLE_POLICY_FOLDER}/${name}`);
}
