import { describe, expect, it } from 'vitest';
import { keyOf, valuesOf } from './layout.ts';

describe('state keys', () => {
  it('encode every value, so a value cannot add a part or reach another kind', () => {
    const forged = keyOf('person', 'alice#grant#1');
    expect(forged).toBe('person#alice%23grant%231');
    expect(forged.split('#')).toHaveLength(2);
    expect(valuesOf(forged)).toEqual(['alice#grant#1']);
  });

  it('keep order-preserving prefixes for plain values', () => {
    expect(keyOf('use', '111111111111', 'ReadOnly')).toBe('use#111111111111#ReadOnly');
    expect(valuesOf(keyOf('use', 'a b', 'ü'))).toEqual(['a b', 'ü']);
  });
});
