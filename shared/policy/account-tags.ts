/**
 * Colour and regions an account may carry as Organizations tags, so discovered accounts need no
 * accounts file: switchyard:color = d13212 (tag values cannot hold "#"; it is added) or a CSS name,
 * switchyard:regions = "eu-west-1 us-east-1" (space-separated; tag values cannot hold commas).
 */
import type { Partition } from '../console/partitions.ts';
import { ColorSchema, RegionSchema } from './file-schemas.ts';
import { regionProblems } from './regions.ts';

export const COLOR_TAG_KEY = 'switchyard:color';
export const REGIONS_TAG_KEY = 'switchyard:regions';

export interface TagStyle {
  color?: string;
  regions?: string[];
  /** Tag values that were present but not usable, as messages. */
  rejected: string[];
}

/** `partition`: the deployment's; a region of another one makes the regions tag unusable. */
export function styleFromTags(tags: Record<string, string>, partition?: Partition): TagStyle {
  const style: TagStyle = { rejected: [] };
  const colorTag = tags[COLOR_TAG_KEY]?.trim();
  if (colorTag) {
    const color = /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(colorTag) ? `#${colorTag}` : colorTag;
    if (ColorSchema.safeParse(color).success) style.color = color;
    else style.rejected.push(`tag ${COLOR_TAG_KEY}="${colorTag}" is not a colour`);
  }
  const regionsTag = tags[REGIONS_TAG_KEY]?.trim();
  if (regionsTag) {
    const regions = regionsTag.split(/[\s/+]+/).filter(Boolean);
    const bad = regions.filter((region) => !RegionSchema.safeParse(region).success);
    const refused = bad.length === 0 ? regionProblems(regions, partition).filter((problem) => problem.severity === 'error') : [];
    if (bad.length > 0) style.rejected.push(`tag ${REGIONS_TAG_KEY}="${regionsTag}" has an invalid region: ${bad.join(', ')}`);
    else if (refused.length > 0)
      style.rejected.push(`tag ${REGIONS_TAG_KEY}="${regionsTag}": ${refused.map((problem) => problem.message).join('; ')}`);
    else style.regions = regions;
  }
  return style;
}
