import { describe, expect, it } from 'vitest';
import { federationEndpointFor, isRegionOf, partitionOfConsoleHost, PARTITIONS } from './partitions.ts';

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
