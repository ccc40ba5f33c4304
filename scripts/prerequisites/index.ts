/**
 * For suites: `binaryPath(id)` locates a part's binary where the check looks. The table of parts and how
 * to add one: ./parts.ts. `npm test` and `npm start` run the check first (./main.ts, from package.json).
 */
import { locatorPath } from './check.ts';
import { PARTS } from './parts.ts';

export { PARTS } from './parts.ts';

/** Where a part's (first) binary is on this machine: its environment override, else its default path or command. */
export function binaryPath(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const part = PARTS.find((candidate) => candidate.id === id);
  const locator = part?.find[0];
  if (!locator) throw new Error(`no prerequisite part ${id} in scripts/prerequisites/parts.ts`);
  return locatorPath(locator, env);
}

/** Every binary of a part (e.g. samba and samba-tool), in the order of its locators. */
export function binaryPaths(id: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const part = PARTS.find((candidate) => candidate.id === id);
  if (!part) throw new Error(`no prerequisite part ${id} in scripts/prerequisites/parts.ts`);
  return part.find.map((locator) => locatorPath(locator, env));
}
