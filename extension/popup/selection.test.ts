import { describe, expect, it } from 'vitest';
import { moveSelection } from './selection.ts';

describe('moveSelection', () => {
  it('moves one row and wraps at both ends', () => {
    expect(moveSelection(0, 1, 3)).toBe(1);
    expect(moveSelection(2, 1, 3)).toBe(0);
    expect(moveSelection(0, -1, 3)).toBe(2);
  });

  it('starts at the first or last row when nothing is selected', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(7, 1, 3)).toBe(0);
  });

  it('has no selection in an empty list', () => {
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});
