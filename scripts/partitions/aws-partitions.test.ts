/**
 * shared/console/aws-partitions.generated.ts against the installed AWS SDK: the same partitions,
 * region patterns and regions, and for every region the SDK lists the same partition as the SDK's own
 * resolver. Fails after an SDK upgrade that changes them, until `npm run partitions` is run.
 */
import { partition as sdkPartitionOf } from '@aws-sdk/core/client';
import { describe, expect, it } from 'vitest';
import { AWS_PARTITIONS, AWS_PARTITIONS_SOURCE } from '../../shared/console/aws-partitions.generated.ts';
import { AWS_REGION_NAME, awsRegion, partitionOfRegion, regionRefusal } from '../../shared/console/partitions.ts';
import { readSdkPartitions } from './sdk-partitions.ts';

const sdk = await readSdkPartitions();
const sdkRegions = sdk.partitions.flatMap((partition) => partition.regions.map((region) => ({ region, partition })));

describe('the generated partition data', () => {
  it('is what `npm run partitions` writes from the installed SDK: partitions, region patterns and regions', () => {
    expect(AWS_PARTITIONS_SOURCE).toBe(sdk.source);
    expect(AWS_PARTITIONS.map((partition) => partition.id)).toEqual(sdk.partitions.map((partition) => partition.id));
    for (const [index, partition] of sdk.partitions.entries()) {
      expect(AWS_PARTITIONS[index]?.regionRegex, partition.id).toBe(partition.regionRegex);
      expect(AWS_PARTITIONS[index]?.regions, partition.id).toEqual(partition.regions);
    }
  });

  it(`puts every region the SDK lists (${sdkRegions.length}) in the partition the SDK's resolver names`, () => {
    const endpointNames: string[] = [];
    for (const { region, partition } of sdkRegions) {
      if (!new RegExp(partition.regionRegex).test(region)) {
        endpointNames.push(region);
        continue;
      }
      expect(awsRegion(region), region).toEqual({ partition: sdkPartitionOf(region).name, known: true });
      expect(AWS_REGION_NAME.test(region), region).toBe(true);
    }
    // Listed names outside their partition's pattern are the global endpoints, never console regions.
    expect(
      endpointNames.every((name) => name.endsWith('-global')),
      endpointNames.join(', '),
    ).toBe(true);
    for (const name of endpointNames) {
      expect(awsRegion(name), name).toBeUndefined();
      expect(AWS_REGION_NAME.test(name), name).toBe(false);
    }
  });

  it("resolves names the SDK does not list as the SDK's patterns do, and refuses names no pattern fits", () => {
    for (const name of ['ap-southeast-123', 'eu-central-9', 'us-gov-north-7', 'cn-south-2', 'us-iso-north-3', 'eusc-de-west-2']) {
      expect(awsRegion(name), name).toEqual({ partition: sdkPartitionOf(name).name, known: false });
    }
    for (const name of ['xx-south-1', 'europe', 'eu-west', 'eu_west_1', '']) {
      // The SDK falls back to aws for these; Switchyard calls them what they are.
      expect(
        sdk.partitions.some((partition) => new RegExp(partition.regionRegex).test(name)),
        name,
      ).toBe(false);
      expect(awsRegion(name), name).toBeUndefined();
      expect(regionRefusal(name), name).toMatch(/is not an AWS region/);
    }
  });

  it('gives a region-name pattern that says what the SDK patterns say, and that Unicode-mode JSON Schema readers accept', () => {
    const names = [...sdkRegions.map(({ region }) => region), 'ap-southeast-123', 'us-gov-north-7', 'xx-south-1', 'eusc-fr-west-1', 'eu-WEST-1'];
    for (const name of names) {
      expect(AWS_REGION_NAME.test(name), name).toBe(sdk.partitions.some((partition) => new RegExp(partition.regionRegex).test(name)));
    }
    expect(() => new RegExp(AWS_REGION_NAME.source, 'u')).not.toThrow();
  });

  it('serves exactly aws, aws-us-gov and aws-cn of the partitions the SDK knows', () => {
    const served = sdk.partitions.filter((partition) => partition.regions.some((region) => partitionOfRegion(region) === partition.id));
    expect(served.map((partition) => partition.id).sort()).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
  });
});
