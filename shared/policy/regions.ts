/**
 * The regions a policy names (accounts, default regions, a discovered account's tag), judged for the
 * deployment's partition by the AWS SDK's partition data (shared/console/partitions.ts). A region of
 * another partition can never be opened from this deployment, so it is an error; so is a region of a
 * partition Switchyard does not serve. A name AWS does not list but whose shape names the partition is
 * a warning: AWS adds regions, and the SDK data only knows those it had when it was released.
 */
import { regionRefusal, unknownRegionNote, type Partition } from '../console/partitions.ts';
import type { Severity } from './problem.ts';

export interface RegionProblem {
  /** Index of the region in the list given. */
  index: number;
  severity: Severity;
  message: string;
}

/** Without a partition (a folder checked for no deployment) only what no deployment could open is an error. */
export function regionProblems(regions: readonly string[], partition: Partition | undefined): RegionProblem[] {
  return regions.flatMap((region, index): RegionProblem[] => {
    const refused = regionRefusal(region, partition);
    if (refused) return [{ index, severity: 'error', message: refused }];
    const note = unknownRegionNote(region);
    return note ? [{ index, severity: 'warning', message: note }] : [];
  });
}
