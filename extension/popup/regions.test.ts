import { describe, expect, it } from 'vitest';
import { regionChoices } from './regions.ts';

describe('the region picker', () => {
  it("offers the account's regions first, then every other region AWS lists for its partition", () => {
    const choices = regionChoices(['eu-west-1', 'us-east-1']);
    expect(choices.slice(0, 2)).toEqual(['eu-west-1', 'us-east-1']);
    expect(choices).toEqual(expect.arrayContaining(['ap-southeast-6', 'me-west-1', 'mx-central-1', 'il-central-1']));
    expect(choices.filter((region) => region.startsWith('cn-') || region.startsWith('us-gov-') || region.includes('global'))).toEqual([]);
    expect(new Set(choices).size).toBe(choices.length);
  });

  it('stays within aws-cn and aws-us-gov for their accounts', () => {
    expect(regionChoices(['cn-northwest-1'])).toEqual(['cn-northwest-1', 'cn-north-1']);
    expect(regionChoices(['us-gov-east-1'])).toEqual(['us-gov-east-1', 'us-gov-west-1']);
  });
});
