/**
 * `npm run partitions`: writes shared/console/aws-partitions.generated.ts from the AWS SDK's partition
 * data, so the code that decides which partition a region belongs to (shared/console/partitions.ts)
 * works from AWS's own list without importing the SDK (shared/ runs in the browser too). Run it after
 * upgrading the SDK; scripts/partitions/aws-partitions.test.ts fails until then.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { readSdkPartitions, type SdkPartitions } from './sdk-partitions.ts';

export const GENERATED_FILE = fileURLToPath(new URL('../../shared/console/aws-partitions.generated.ts', import.meta.url));

export async function renderPartitionsModule(data: SdkPartitions): Promise<string> {
  const text = `/**
 * AWS partitions with the pattern of their region names and the regions they know, as the AWS SDK
 * for JavaScript ships them (${data.source}). Written by \`npm run partitions\` from the SDK's own
 * partition data; do not edit. Names that do not fit their partition's pattern (aws-global, ...) are
 * endpoint names, not regions. scripts/partitions/aws-partitions.test.ts fails when this drifts from
 * the installed SDK.
 */

export interface AwsPartitionData {
  /** The partition's id, as in ARNs: arn:<id>:... */
  id: string;
  /** The SDK's pattern of the partition's region names; a name it matches belongs to the partition. */
  regionRegex: string;
  regions: readonly string[];
}

export const AWS_PARTITIONS_SOURCE = ${JSON.stringify(data.source)};

/** In the SDK's order, which is the order it tries the patterns in. */
export const AWS_PARTITIONS: readonly AwsPartitionData[] = ${JSON.stringify(data.partitions)};
`;
  return format(text, { ...(await resolveConfig(GENERATED_FILE)), filepath: GENERATED_FILE });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const data = await readSdkPartitions();
  writeFileSync(GENERATED_FILE, await renderPartitionsModule(data));
  console.log(`wrote shared/console/aws-partitions.generated.ts from ${data.source}`);
}
