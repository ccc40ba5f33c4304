/**
 * The AWS SDK's own partition data (the partitions.json of the SDK's endpoint rules, shipped inside
 * @aws-sdk/core): every partition with the pattern of its region names and the regions it knows.
 * The SDK exports only a resolver over it, not the data, so the file is read from the installed
 * package; if the SDK moves it, this says where it looked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

export interface SdkPartitions {
  /** Package and version the data was read from, e.g. "@aws-sdk/core 3.981.2". */
  source: string;
  partitions: { id: string; regionRegex: string; regions: string[] }[];
}

const PACKAGE = '@aws-sdk/core';
const DATA_FILE = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

const PartitionsInfoSchema = z.object({
  partitions: z.array(z.object({ id: z.string(), regionRegex: z.string(), regions: z.record(z.string(), z.unknown()) })).min(1),
});

export async function readSdkPartitions(): Promise<SdkPartitions> {
  const packageJson = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const file = join(dirname(packageJson), DATA_FILE);
  let module: { partitionsInfo?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { partitionsInfo?: unknown };
  } catch (error) {
    throw new Error(`cannot read the AWS SDK's partition data at ${file} (${PACKAGE} ${version}): ${String(error)}`);
  }
  const info = PartitionsInfoSchema.parse(module.partitionsInfo);
  return {
    source: `${PACKAGE} ${version}`,
    partitions: info.partitions.map((partition) => ({
      id: partition.id,
      regionRegex: partition.regionRegex,
      regions: Object.keys(partition.regions).sort(),
    })),
  };
}
