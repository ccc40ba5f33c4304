/**
 * `switchyard access report`, the work: reads the published policy (and hashes its bytes), asks the
 * directory for every route into each assigned group, then writes each person's rows with their last
 * uses as soon as they are known, so the report streams. Progress (people read, rows written) goes to
 * its own callback, never into the report.
 */
import { createHash } from 'node:crypto';
import { reportWriter, type ReportFormat } from '../../shared/access/report-format.ts';
import {
  assignedGroups,
  pairKey,
  pairsByGroup,
  routesByPerson,
  rowsOfPerson,
  unknownGroups,
  type PairTimes,
} from '../../shared/access/report-rows.ts';
import type { Partition } from '../../shared/console/partitions.ts';
import { roleArnFor } from '../../shared/naming.ts';
import { parsePublishedPolicy } from '../../shared/plan/published-policy.ts';
import type { GroupMembers } from '../auth/group-members.ts';
import type { StateTable } from '../state/state-table.ts';
import { lastUsesOf } from './last-use.ts';

export interface AccessReportSources {
  partition: Partition;
  /** Where the published policy is read from, for messages. */
  location: string;
  /** The published policy's bytes, or undefined when none is published. */
  publishedPolicy(): Promise<Uint8Array | undefined>;
  members: GroupMembers;
  state: StateTable;
}

export interface AccessReportOptions {
  format: ReportFormat;
  unusedDays: number;
  now: Date;
  /** Writes a piece of the report (waits when the destination is full). */
  write(text: string): Promise<void>;
  progress?(people: number, rows: number): void;
}

export class ReportInputError extends Error {}

export async function writeAccessReport(sources: AccessReportSources, options: AccessReportOptions): Promise<{ people: number; rows: number }> {
  const bytes = await sources.publishedPolicy();
  if (bytes === undefined) throw new ReportInputError(`no policy is published at ${sources.location}: push one first`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw new ReportInputError(`${sources.location} is not valid JSON`);
  }
  const parsed = parsePublishedPolicy(json);
  if (!parsed.ok) throw new ReportInputError(`${sources.location} is ${parsed.error}`);
  const { policy, available, generation } = parsed.published;

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
  const writer = reportWriter(options.format);
  await options.write(
    writer.start({
      generatedAt: options.now.toISOString(),
      generation: generation ?? '',
      policySha256: sha256(bytes),
      directory: sources.members.source,
      unusedDays: options.unusedDays,
    }),
  );
  let peopleRead = 0;
  let rowsWritten = 0;
  for (const [personId, personRoutes] of people) {
    const uses = new Map<string, PairTimes>();
    for await (const use of lastUsesOf(sources.state, personId)) uses.set(pairKey(use.accountId, use.permissionSet), use.times);
    for (const row of rowsOfPerson(personRoutes, pairs, uses, context)) {
      await options.write(writer.row(row));
      rowsWritten++;
    }
    peopleRead++;
    options.progress?.(peopleRead, rowsWritten);
  }
  await options.write(writer.end(unknownGroups(routes)));
  return { people: peopleRead, rows: rowsWritten };
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
