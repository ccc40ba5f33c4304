import { describe, expect, it } from 'vitest';
import { federationEndpointFor, isRegionOf, partitionOfConsoleHost, partitionOfRegion, PARTITIONS } from './partitions.ts';

describe('the partition table', () => {
  it('has a federation endpoint on each partition sign-in host', () => {
    expect(PARTITIONS.map(federationEndpointFor)).toEqual([
      'https://signin.aws.amazon.com/federation',
      'https://signin.amazonaws-us-gov.com/federation',
      'https://signin.amazonaws.cn/federation',
    ]);
  });

  it('gives each region to exactly one partition', () => {
    for (const region of ['us-east-1', 'eu-central-2', 'ap-southeast-5', 'mx-central-1', 'us-gov-east-1', 'cn-northwest-1']) {
      expect(PARTITIONS.filter((partition) => isRegionOf(region, partition))).toHaveLength(1);
    }
  });

  it('knows whose console a host is', () => {
    expect(partitionOfConsoleHost('console.amazonaws-us-gov.com')).toBe('aws-us-gov');
    expect(partitionOfConsoleHost('cn-north-1.console.amazonaws.cn')).toBe('aws-cn');
    expect(partitionOfConsoleHost('s3.console.aws.amazon.com')).toBe('aws');
    expect(partitionOfConsoleHost('console.aws.amazon.com.evil.com')).toBeUndefined();
  });
});

describe('which partition a region is in, from the AWS SDK partition data', () => {
  it('does not take any "two letters-word-number" name for a commercial region', () => {
    expect(partitionOfRegion('xx-south-1')).toBeUndefined();
    expect(partitionOfRegion('zz-east-1')).toBeUndefined();
    expect(PARTITIONS.filter((partition) => isRegionOf('xx-south-1', partition))).toEqual([]);
  });

  it('takes a name of a partition’s region shape for that partition, even one AWS has not listed (yet)', () => {
    expect(partitionOfRegion('ap-southeast-123')).toBe('aws');
    expect(partitionOfRegion('us-gov-north-7')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-south-2')).toBe('aws-cn');
  });

  it('serves no region of the partitions Switchyard does not support', () => {
    for (const region of ['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1']) {
      expect(partitionOfRegion(region), region).toBeUndefined();
    }
  });

  it('does not take endpoint names of the partition data (aws-global) for regions', () => {
    expect(partitionOfRegion('aws-global')).toBeUndefined();
    expect(partitionOfRegion('aws-cn-global')).toBeUndefined();
  });
});

describe('partitionOfRegion', () => {
  it('knows the partition of a region, and none for the partitions it does not serve', () => {
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion('il-central-1')).toBe('aws');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-iso-east-1')).toBeUndefined();
    expect(partitionOfRegion('us-isob-east-1')).toBeUndefined();
    expect(partitionOfRegion('eu-isoe-west-1')).toBeUndefined();
  });
});
