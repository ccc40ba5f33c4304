/** Every JSON Schema published in schema/: the policy files' (for editors) and the plan's (for tools reading `policy plan --format json`). */
import { planJsonSchema } from './plan/plan-document.ts';
import { policyJsonSchemas } from './policy/json-schemas.ts';

/** File name -> JSON text, as committed under schema/. */
export function publishedJsonSchemas(): Record<string, string> {
  return { ...policyJsonSchemas(), 'plan.schema.json': planJsonSchema() };
}
