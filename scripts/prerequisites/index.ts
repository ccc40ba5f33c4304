/**
 * The prerequisites check for code that runs inside a command: `npm start` calls `requirePrerequisites('start')`
 * before it starts anything. Suites locate their binaries with `binaryPath(id)`, where the check looks.
 * The table of parts and how to add one: ./parts.ts. The CLI `npm test` runs first: ./main.ts.
 */
import { buildReport, locatorPath, missingMessage, presentLine, versionWarnings } from './check.ts';
import { PARTS } from './parts.ts';
import type { Need } from './parts.ts';
import { realSystem } from './system.ts';

export { PARTS } from './parts.ts';

/** Checks the parts `need` needs; when one is missing, prints the message naming each and its fix and exits 1. */
export async function requirePrerequisites(need: Need): Promise<void> {
  const started = performance.now();
  const report = await buildReport(PARTS, need, realSystem());
  for (const warning of versionWarnings(report.results)) console.warn(warning);
  const message = missingMessage(report);
  if (message) {
    console.error(message);
    process.exit(1);
  }
  console.log(presentLine(report, (performance.now() - started) / 1000));
}

/** Where a part's (first) binary is on this machine: its environment override, else its default path or command. */
export function binaryPath(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const part = PARTS.find((candidate) => candidate.id === id);
  const locator = part?.find[0];
  if (!locator) throw new Error(`no prerequisite part ${id} in scripts/prerequisites/parts.ts`);
  return locatorPath(locator, env);
}
