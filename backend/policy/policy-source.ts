import type { Policy } from '../../shared/policy/model.ts';

/** Where the API reads the current, validated policy from. */
export interface PolicySource {
  current(): Promise<Policy>;
}
