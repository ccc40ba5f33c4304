/** Regions the region picker offers after the account's own. A region typed elsewhere still works. */
import { partitionOfRegion, regionsOfPartition } from '../../shared/console/partitions.ts';

/** The account's regions first, then the other regions AWS lists for its partition (shared/console/partitions.ts). */
export function regionChoices(accountRegions: readonly string[]): string[] {
  const partition = partitionOfRegion(accountRegions[0] ?? 'us-east-1') ?? 'aws';
  return [...accountRegions, ...regionsOfPartition(partition).filter((region) => !accountRegions.includes(region))];
}
