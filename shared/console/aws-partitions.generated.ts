/**
 * AWS partitions with the pattern of their region names and the regions they know, as the AWS SDK
 * for JavaScript ships them (@aws-sdk/core 3.981.2). Written by `npm run partitions` from the SDK's own
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

export const AWS_PARTITIONS_SOURCE = '@aws-sdk/core 3.981.2';

/** In the SDK's order, which is the order it tries the patterns in. */
export const AWS_PARTITIONS: readonly AwsPartitionData[] = [
  {
    id: 'aws',
    regionRegex: '^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$',
    regions: [
      'af-south-1',
      'ap-east-1',
      'ap-east-2',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ap-south-1',
      'ap-south-2',
      'ap-southeast-1',
      'ap-southeast-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-southeast-5',
      'ap-southeast-6',
      'ap-southeast-7',
      'aws-global',
      'ca-central-1',
      'ca-west-1',
      'eu-central-1',
      'eu-central-2',
      'eu-north-1',
      'eu-south-1',
      'eu-south-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'il-central-1',
      'me-central-1',
      'me-south-1',
      'me-west-1',
      'mx-central-1',
      'sa-east-1',
      'sa-west-1',
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
    ],
  },
  { id: 'aws-cn', regionRegex: '^cn\\-\\w+\\-\\d+$', regions: ['aws-cn-global', 'cn-north-1', 'cn-northwest-1'] },
  { id: 'aws-eusc', regionRegex: '^eusc\\-(de)\\-\\w+\\-\\d+$', regions: ['eusc-de-east-1'] },
  { id: 'aws-iso', regionRegex: '^us\\-iso\\-\\w+\\-\\d+$', regions: ['aws-iso-global', 'us-iso-east-1', 'us-iso-west-1'] },
  { id: 'aws-iso-b', regionRegex: '^us\\-isob\\-\\w+\\-\\d+$', regions: ['aws-iso-b-global', 'us-isob-east-1', 'us-isob-west-1'] },
  { id: 'aws-iso-e', regionRegex: '^eu\\-isoe\\-\\w+\\-\\d+$', regions: ['aws-iso-e-global', 'eu-isoe-west-1'] },
  { id: 'aws-iso-f', regionRegex: '^us\\-isof\\-\\w+\\-\\d+$', regions: ['aws-iso-f-global', 'us-isof-east-1', 'us-isof-south-1'] },
  { id: 'aws-us-gov', regionRegex: '^us\\-gov\\-\\w+\\-\\d+$', regions: ['aws-us-gov-global', 'us-gov-east-1', 'us-gov-west-1'] },
];
