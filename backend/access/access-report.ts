/**
 * `switchyard access report`, the work: reads the published policy (and hashes its bytes), asks the
 * directory for every route into each assigned group, then writes each person's rows with their last
 * uses as soon as they are known, so the report streams. Progress (people read, rows written) goes to
 * its own callback, never into the report.
 */
import { createHash } from 'node:crypto';
import { reportWriter, type ReportFormat, type ReportHeader } from '../../shared/access/report-format.ts';
import { assignedGroups, pairsByGroup, routesByPerson, rowsOfPerson, unknownGroups, type PairTimes } from '../../shared/access/report-rows.ts';
import type { Partition } from '../../shared/console/partitions.ts';
import { roleArnFor } from '../../shared/naming.ts';
import { parsePublishedPolicy } from '../../shared/plan/published-policy.ts';
import type { GroupMembers } from '../auth/group-members.ts';
import type { StateTable } from '../state/state-table.ts';
import { lastUsesOf } from './last-use.ts';
import { pairKey } from '../../shared/policy/pair.ts';

export interface AccessReportSources {
  partition: Partition;
  /** Where the published policy is read from, for messages. */
  location: string;
  /** Where past publications are kept, for messages. */
  historyLocation: string;
  /** The published policy's bytes (or a kept past publication's, of `generation`); undefined when absent. */
  publishedPolicy(generation?: string): Promise<Uint8Array | undefined>;
  /** Generations whose publication is kept, oldest first (for the message about an unknown one; unset: not listed). */
  publishedGenerations?(): Promise<string[]>;
  members: GroupMembers;
  state: StateTable;
}

/** One destination of the report, in one format. */
export interface ReportOutput {
  format: ReportFormat;
  /** Writes a piece of the report (waits when the destination is full). */
  write(text: string): Promise<void>;
}

export interface AccessReportOptions {
  /** Every output gets the same report, made in one pass (the scheduled report writes CSV and JSON Lines). */
  outputs: ReportOutput[];
  /** The policy generation to report on; default: the published one. */
  asOf?: string;
  unusedDays: number;
  now: Date;
  progress?(people: number, rows: number): void;
}

/** What a report was made of: its evidence and its size. */
export interface ReportMade {
  header: ReportHeader;
  people: number;
  rows: number;
  unknownGroups: number;
}

export class ReportInputError extends Error {}

export async function writeAccessReport(sources: AccessReportSources, options: AccessReportOptions): Promise<ReportMade> {
  const bytes = await publication(sources, options.asOf);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw new ReportInputError(`${sources.location} is not valid JSON`);
  }
  const parsed = parsePublishedPolicy(json);
  if (!parsed.ok) throw new ReportInputError(`${sources.location} is ${parsed.error}`);
  const { policy, available, generation } = parsed.published;
  if (options.asOf !== undefined && generation !== options.asOf)
    throw new ReportInputError(`${sources.location} holds generation ${generation ?? '(none)'}, not ${options.asOf}`);

  const routes = await sources.members.routesOf(assignedGroups(policy));
  const people = routesByPerson(routes);
  const pairs = pairsByGroup(policy, available);
  const context = {
    policy,
    ...(available ? { available } : {}),
    roleArn: (accountId: string, permissionSet: string) => roleArnFor(accountId, permissionSet, sources.partition),
    inlinePolicySha256: new Map(
      policy.permissionSets.flatMap((set) => (set.inlinePolicy ? [[set.name, sha256(JSON.stringify(set.inlinePolicy))] as const] : [])),
    ),
    unusedBefore: new Date(options.now.getTime() - options.unusedDays * 86_400_000).toISOString(),
  };
  const outputs = options.outputs.map((output) => ({ writer: reportWriter(output.format), write: output.write }));
  const header: ReportHeader = {
    generatedAt: options.now.toISOString(),
    generation: generation ?? '',
    policySha256: sha256(bytes),
    directory: sources.members.source,
    unusedDays: options.unusedDays,
  };
  for (const output of outputs) await output.write(output.writer.start(header));
  let peopleRead = 0;
  let rowsWritten = 0;
  const uses = lastUsesAhead(sources.state, [...people.keys()]);
  for (const [personId, personRoutes] of people) {
    for (const row of rowsOfPerson(personRoutes, pairs, await uses.of(personId), context)) {
      for (const output of outputs) await output.write(output.writer.row(row));
      rowsWritten++;
    }
    peopleRead++;
    options.progress?.(peopleRead, rowsWritten);
  }
  const unknown = unknownGroups(routes);
  for (const output of outputs) await output.write(output.writer.end(unknown));
  return { header, people: peopleRead, rows: rowsWritten, unknownGroups: unknown.length };
}

/**
 * People's last uses, read LAST_USES_AHEAD people ahead of the writing: one query per person, each a
 * round trip to the state table, would otherwise be waited for one after another. A bounded window,
 * so memory does not grow with the directory.
 */
const LAST_USES_AHEAD = 32;

function lastUsesAhead(state: StateTable, personIds: readonly string[]): { of(personId: string): Promise<Map<string, PairTimes>> } {
  const reading = new Map<string, Promise<Map<string, PairTimes>>>();
  let next = 0;
  const readAhead = () => {
    while (next < personIds.length && reading.size < LAST_USES_AHEAD) {
      const personId = personIds[next++] as string;
      const read = readLastUses(state, personId);
      // Awaited in turn below; until then, a failure must not count as unhandled.
      read.catch(() => undefined);
      reading.set(personId, read);
    }
  };
  return {
    async of(personId) {
      readAhead();
      const read = reading.get(personId) ?? readLastUses(state, personId);
      reading.delete(personId);
      const uses = await read;
      readAhead();
      return uses;
    },
  };
}

async function readLastUses(state: StateTable, personId: string): Promise<Map<string, PairTimes>> {
  const uses = new Map<string, PairTimes>();
  for await (const use of lastUsesOf(state, personId)) uses.set(pairKey(use), use.times);
  return uses;
}

/** The bytes to report on: the published policy, or the kept publication of generation `asOf`. */
async function publication(sources: AccessReportSources, asOf: string | undefined): Promise<Uint8Array> {
  if (asOf === undefined) {
    const bytes = await sources.publishedPolicy();
    if (bytes === undefined) throw new ReportInputError(`no policy is published at ${sources.location}: push one first`);
    return bytes;
  }
  const kept = await sources.publishedPolicy(asOf);
  if (kept !== undefined) return kept;
  // Published before history was kept: the current publication may still be that generation.
  const current = await sources.publishedPolicy();
  if (current !== undefined && publishedGeneration(current) === asOf) return current;
  const known = (await sources.publishedGenerations?.()) ?? [];
  const nearest = nearestGenerations(known, asOf);
  throw new ReportInputError(
    `generation ${asOf} is not kept in ${sources.historyLocation}` +
      (nearest.length > 0 ? `; the nearest known: ${nearest.join(', ')}` : '; no past generation is kept yet'),
  );
}

function publishedGeneration(bytes: Uint8Array): string | undefined {
  try {
    const parsed = parsePublishedPolicy(JSON.parse(new TextDecoder('utf-8').decode(bytes)));
    return parsed.ok ? parsed.published.generation : undefined;
  } catch {
    return undefined;
  }
}

/** Up to two known generations on each side of `wanted` (ids sort by time), oldest first. */
export function nearestGenerations(known: readonly string[], wanted: string): string[] {
  const sorted = [...known].sort();
  const after = sorted.findIndex((generation) => generation > wanted);
  const split = after === -1 ? sorted.length : after;
  return sorted.slice(Math.max(0, split - 2), split + 2);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
