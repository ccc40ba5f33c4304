import { Virtualizer } from '@tanstack/virtual-core';
import { describe, expect, it } from 'vitest';
import { firstScreen } from './use-virtualizer.ts';

describe('firstScreen', () => {
  it.each([
    ['a long list of mixed sizes', 12_000],
    ['a list shorter than the view', 5],
    ['an empty list', 0],
  ])('lays out exactly the items the virtualizer shows at the top: %s', (_name, count) => {
    const estimateSize = (index: number) => (index % 7 === 0 ? 30 : index % 11 === 0 ? 24 : 38);
    const options = { count, estimateSize, getScrollElement: () => null, overscan: 4, initialRect: { width: 380, height: 420 } };
    const virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      ...options,
      scrollToFn: () => undefined,
      observeElementRect: () => undefined,
      observeElementOffset: () => undefined,
    });
    let total = 0;
    for (let index = 0; index < count; index++) total += estimateSize(index);
    const first = firstScreen({ ...options, totalSize: () => total });
    expect(first.getVirtualItems()).toEqual(virtualizer.getVirtualItems().map(({ index, start }) => ({ index, start })));
    expect(first.getTotalSize()).toBe(virtualizer.getTotalSize());
  });
});
