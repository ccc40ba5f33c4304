/**
 * The list's window: which items are in the DOM and where. @tanstack/virtual-core does the virtualizing,
 * but it is loaded after the first frame: the first frame shows the list from its top, which takes no
 * virtualizer to lay out (the items from the first until the view and its overscan are full), so neither
 * its code (5 KB gzipped) nor its measuring of every item is on the way to the first frame. Once loaded,
 * the virtualizer lays out the same items at the same places, so nothing in the DOM changes.
 */
import type { Virtualizer, VirtualizerOptions } from '@tanstack/virtual-core';
import { useEffect, useLayoutEffect, useReducer, useState } from 'preact/hooks';
import type * as VirtualCoreModule from './virtual-core.ts';

export type Options = Pick<
  VirtualizerOptions<HTMLElement, HTMLElement>,
  'count' | 'estimateSize' | 'getScrollElement' | 'overscan' | 'initialRect' | 'getItemKey'
> & {
  /** The height of all the items, for the first frame (the virtualizer measures them itself). */
  totalSize: () => number;
  /** When every item has this height (a search's rows): the window is worked out from the scroll offset (uniform-window.ts), and the virtualizer measures nothing. */
  uniformSize?: number | undefined;
};

/** What the list needs of its window, before and after the virtualizer is there. */
export interface ListWindow {
  getVirtualItems(): readonly { index: number; start: number }[];
  getTotalSize(): number;
  scrollToIndex(index: number, options: { align: 'auto' }): void;
  scrollToOffset(offset: number): void;
  readonly scrollOffset: number | null;
}

type VirtualCore = typeof VirtualCoreModule;

/** The virtualizer's module once loaded (then every later list starts with it). */
let core: VirtualCore | undefined;

export function useVirtualizer(options: Options): ListWindow {
  const [, rerender] = useReducer((tick: number) => tick + 1, 0);
  const [loaded, setLoaded] = useState(core);
  const { totalSize: _forTheFirstFrame, uniformSize, ...virtualizerOptions } = options;
  const resolved = (library: VirtualCore): VirtualizerOptions<HTMLElement, HTMLElement> => ({
    scrollToFn: library.elementScroll,
    observeElementRect: library.observeElementRect,
    observeElementOffset: library.observeElementOffset,
    ...virtualizerOptions,
    // Items of one height are placed without it: it then has nothing to measure.
    count: uniformSize ? 0 : options.count,
    onChange: () => rerender(undefined),
  });
  // The scroll offset, for the window of items of one height, followed only while there is one (the virtualizer
  // keeps its own): taken when it begins, before the frame, and then at each scroll.
  const [offset, setOffset] = useState(0);
  useLayoutEffect(() => {
    const element = options.getScrollElement();
    if (!uniformSize || !element) return;
    const scrolled = () => setOffset(element.scrollTop);
    scrolled();
    element.addEventListener('scroll', scrolled);
    return () => element.removeEventListener('scroll', scrolled);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uniformSize]);
  const [instance, setInstance] = useState<Virtualizer<HTMLElement, HTMLElement> | undefined>(() =>
    loaded ? new loaded.Virtualizer(resolved(loaded)) : undefined,
  );
  useEffect(() => {
    if (loaded) return;
    void import('./virtual-core.ts').then((library) => {
      core = library;
      setInstance(new library.Virtualizer(resolved(library)));
      setLoaded(library);
    });
    // Once, after the first frame.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (instance && loaded) instance.setOptions(resolved(loaded));
  useLayoutEffect(() => instance?._didMount(), [instance]);
  useLayoutEffect(() => instance?._willUpdate());
  if (uniformSize && loaded) return loaded.uniformWindow(options, uniformSize, offset);
  return instance ?? firstScreen(options);
}

/** The list from its top, until the view and the overscan below it are full: what the virtualizer would show at offset 0. */
export function firstScreen({ count, estimateSize, getScrollElement, overscan = 1, initialRect, totalSize }: Options): ListWindow {
  const height = initialRect?.height ?? 0;
  const items: { index: number; start: number }[] = [];
  let start = 0;
  let beyond = 0;
  for (let index = 0; index < count; index++) {
    const size = estimateSize(index);
    if (start >= height && ++beyond > overscan) break;
    items.push({ index, start });
    start += size;
  }
  return {
    getVirtualItems: () => items,
    getTotalSize: totalSize,
    // Only before the virtualizer has loaded (the first milliseconds): scroll the element itself.
    scrollToIndex(index) {
      let offset = 0;
      for (let at = 0; at < index; at++) offset += estimateSize(at);
      const element = getScrollElement();
      if (element && (offset < element.scrollTop || offset + estimateSize(index) > element.scrollTop + element.clientHeight))
        element.scrollTop = offset;
    },
    scrollToOffset(offset) {
      const element = getScrollElement();
      if (element) element.scrollTop = offset;
    },
    scrollOffset: 0,
  };
}
