/**
 * The AWS partitions Switchyard serves, the one table of their hosts (console, regional console,
 * service consoles on their own host, sign-in and federation), and the one answer to "which partition
 * is this region in", taken from the AWS SDK's partition data (aws-partitions.generated.ts). Pure: the
 * backend, the local stand-in and the extension all read it.
 */
import { AWS_PARTITIONS, AWS_PARTITIONS_SOURCE } from './aws-partitions.generated.ts';

/** The partitions Switchyard serves. The others AWS has (the ISO partitions, aws-eusc) it does not. */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

export const PARTITIONS: readonly Partition[] = ['aws', 'aws-us-gov', 'aws-cn'];

export interface PartitionHosts {
  /** The console's own host; regional console hosts are `<region>.<console>`. */
  console: string;
  /** Consoles of global services that live on a host of their own. */
  serviceConsoles: readonly string[];
  /** The sign-in host: federation endpoint (`/federation`) and logout (`/oauth?Action=logout`). */
  signin: string;
}

const TABLE: Record<Partition, PartitionHosts> = {
  aws: {
    console: 'console.aws.amazon.com',
    serviceConsoles: ['s3.console.aws.amazon.com'],
    signin: 'signin.aws.amazon.com',
  },
  'aws-us-gov': {
    console: 'console.amazonaws-us-gov.com',
    serviceConsoles: [],
    signin: 'signin.amazonaws-us-gov.com',
  },
  'aws-cn': {
    console: 'console.amazonaws.cn',
    serviceConsoles: [],
    signin: 'signin.amazonaws.cn',
  },
};

export function partitionHosts(partition: Partition): PartitionHosts {
  return TABLE[partition];
}

/** Where the region data comes from, for messages: "AWS SDK data of @aws-sdk/core 3.981.2". */
export const REGION_DATA_SOURCE = `AWS SDK data of ${AWS_PARTITIONS_SOURCE}`;

const RESOLVERS = AWS_PARTITIONS.map(({ id, regionRegex, regions }) => {
  const pattern = new RegExp(regionRegex);
  // Listed names that do not fit the pattern (aws-global, aws-cn-global) name endpoints, not regions.
  return { id, pattern, regions: new Set(regions.filter((region) => pattern.test(region))) };
});

/**
 * A region name of any AWS partition: one the SDK lists, or one that fits a partition's pattern of
 * region names. Shape only; partitionOfRegion says whether Switchyard serves it. It also serves as a
 * JSON Schema `pattern`, so it is written for every reader of one: no lookahead (RE2, in Chrome's
 * managed-storage schema), and "-" unescaped (`\-` is an error in a Unicode-mode pattern, as editors read them).
 */
export const AWS_REGION_NAME = new RegExp(AWS_PARTITIONS.map(({ regionRegex }) => `(?:${regionRegex.replaceAll('\\-', '-')})`).join('|'));

export interface AwsRegion {
  /** The partition's id, any AWS partition (aws-iso too). */
  partition: string;
  /** Listed in the SDK's data; false for a name that only fits a partition's pattern (a region AWS added since, or a typo). */
  known: boolean;
}

/**
 * What AWS's partition data says of a region name, resolved as the SDK resolves it: a listed region
 * first, then each partition's pattern in the SDK's order. Undefined: no partition names regions so.
 */
export function awsRegion(name: string): AwsRegion | undefined {
  for (const { id, regions } of RESOLVERS) if (regions.has(name)) return { partition: id, known: true };
  for (const { id, pattern } of RESOLVERS) if (pattern.test(name)) return { partition: id, known: false };
  return undefined;
}

/** The regions the SDK lists for a partition, by name (endpoint names such as aws-global left out). */
export function regionsOfPartition(partition: Partition): string[] {
  return [...(RESOLVERS.find(({ id }) => id === partition)?.regions ?? [])].sort();
}

export function isServedPartition(partition: string): partition is Partition {
  return (PARTITIONS as readonly string[]).includes(partition);
}

/**
 * The partition a region belongs to, when Switchyard serves it; undefined for names that are no AWS
 * region and for regions of the partitions it does not serve. A name AWS's data does not list but whose
 * shape says the partition (a region added since) counts: AWS adds regions, and the SDK does the same.
 */
export function partitionOfRegion(region: string): Partition | undefined {
  const found = awsRegion(region);
  return found && isServedPartition(found.partition) ? found.partition : undefined;
}

export function isRegionOf(region: string, partition: Partition): boolean {
  return partitionOfRegion(region) === partition;
}

/**
 * Why a deployment in `partition` cannot open a console in `region`, as a sentence starting with the
 * region's name (`shown`, when the caller must not echo the raw input); undefined when it can. Without
 * a partition, only names that are no region, or of a partition Switchyard does not serve, are refused.
 */
export function regionRefusal(region: string, partition?: Partition, shown = region): string | undefined {
  const found = awsRegion(region);
  if (!found) return `${shown} is not an AWS region: no AWS partition names its regions like this (${REGION_DATA_SOURCE})`;
  if (!isServedPartition(found.partition)) {
    return `${shown} belongs to ${found.partition}, a partition Switchyard does not serve (it serves ${PARTITIONS.join(', ')})`;
  }
  if (partition !== undefined && found.partition !== partition) {
    return `${shown} belongs to ${found.partition}; this Switchyard deployment serves ${partition} (an organization lives in one partition)`;
  }
  return undefined;
}

/** For a name that fits a partition's pattern but that AWS's data does not list: a new region, or a typo. */
export function unknownRegionNote(region: string): string | undefined {
  const found = awsRegion(region);
  if (!found || found.known) return undefined;
  return `${region} is not a region AWS lists (${REGION_DATA_SOURCE}); its name fits the regions of ${found.partition}, so it is taken as one: check the spelling`;
}

/** The partition whose console (global, regional or service) is `host`, if any. */
export function partitionOfConsoleHost(host: string): Partition | undefined {
  return PARTITIONS.find((partition) => {
    const hosts = TABLE[partition];
    return host === hosts.console || host.endsWith(`.${hosts.console}`) || hosts.serviceConsoles.includes(host);
  });
}

export function federationEndpointFor(partition: Partition): string {
  return `https://${TABLE[partition].signin}/federation`;
}

export function consoleOriginFor(partition: Partition): string {
  return `https://${TABLE[partition].console}`;
}
