import { describe, expect, it } from 'vitest';
import { regionNamedBy } from './destination-region.ts';

describe('the region a destination names', () => {
  it('reads a regional console host or a region= parameter of a pasted URL', () => {
    expect(regionNamedBy('https://eu-central-1.console.aws.amazon.com/ec2/home#Instances:')).toBe('eu-central-1');
    expect(regionNamedBy('https://console.aws.amazon.com/ec2/home?region=us-west-2')).toBe('us-west-2');
    expect(regionNamedBy('https://us-gov-west-1.console.amazonaws-us-gov.com/s3/home')).toBe('us-gov-west-1');
  });

  it('leaves paths, region-less URLs and garbage to the region picker', () => {
    expect(regionNamedBy('/ec2/home?region=eu-west-1')).toBeUndefined();
    expect(regionNamedBy('https://console.aws.amazon.com/ec2/home')).toBeUndefined();
    expect(regionNamedBy('not a url')).toBeUndefined();
    expect(regionNamedBy(undefined)).toBeUndefined();
  });
});
