import { Virtualizer } from '@tanstack/virtual-core';
import { describe, expect, it } from 'vitest';
import { uniformWindow } from './uniform-window.ts';

describe('uniformWindow', () => {
  it.each([
    [12_000, 0],
    [12_000, 19],
    [12_000, 38 * 500],
    [12_000, 38 * 12_000 - 420],
    [30, 100],
    [5, 0],
    [0, 0],
  ])('places the same items at the same places as the virtualizer: %i items at offset %i', (count, offset) => {
    const size = 38;
    const options = { count, estimateSize: () => size, getScrollElement: () => null, overscan: 4, initialRect: { width: 380, height: 420 } };
    const virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      ...options,
      initialOffset: offset,
      scrollToFn: () => undefined,
      observeElementRect: () => undefined,
      observeElementOffset: () => undefined,
    });
    const window = uniformWindow({ ...options, totalSize: () => count * size }, size, offset);
    expect(window.getVirtualItems()).toEqual(virtualizer.getVirtualItems().map(({ index, start }) => ({ index, start })));
    expect(window.getTotalSize()).toBe(virtualizer.getTotalSize());
  });
});
