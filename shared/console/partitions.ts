/**
 * The AWS partitions Switchyard serves, and the one table of their hosts: console, regional console,
 * service consoles on their own host, sign-in and federation. Pure: the backend, the local stand-in
 * and the extension all read it.
 */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

export const PARTITIONS: readonly Partition[] = ['aws', 'aws-us-gov', 'aws-cn'];

export interface PartitionHosts {
  /** The console's own host; regional console hosts are `<region>.<console>`. */
  console: string;
  /** Consoles of global services that live on a host of their own. */
  serviceConsoles: readonly string[];
  /** The sign-in host: federation endpoint (`/federation`) and logout (`/oauth?Action=logout`). */
  signin: string;
  /** Which regions belong to the partition. */
  regions: RegExp;
}

const TABLE: Record<Partition, PartitionHosts> = {
  aws: {
    console: 'console.aws.amazon.com',
    serviceConsoles: ['s3.console.aws.amazon.com'],
    signin: 'signin.aws.amazon.com',
    // Two words then a number (eu-west-1, ap-southeast-3); China's regions have the same shape.
    regions: /^(?!cn-)[a-z]{2}-[a-z]+-\d{1,2}$/,
  },
  'aws-us-gov': {
    console: 'console.amazonaws-us-gov.com',
    serviceConsoles: [],
    signin: 'signin.amazonaws-us-gov.com',
    regions: /^us-gov-[a-z]+-\d{1,2}$/,
  },
  'aws-cn': {
    console: 'console.amazonaws.cn',
    serviceConsoles: [],
    signin: 'signin.amazonaws.cn',
    regions: /^cn-[a-z]+-\d{1,2}$/,
  },
};

export function partitionHosts(partition: Partition): PartitionHosts {
  return TABLE[partition];
}

/** The partition a region belongs to; undefined for regions of partitions Switchyard does not serve (ISO). */
export function partitionOfRegion(region: string): Partition | undefined {
  return PARTITIONS.find((partition) => TABLE[partition].regions.test(region));
}

export function isRegionOf(region: string, partition: Partition): boolean {
  return TABLE[partition].regions.test(region);
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
