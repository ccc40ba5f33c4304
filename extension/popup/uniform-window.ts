/**
 * The window of a list whose items all have one height (a search's rows): which items are in view and
 * where, worked out from the scroll offset, with nothing measured. The virtualizer lays out every item
 * again whenever their number changes, which is most keystrokes of a search: 33,000 items at 100,000
 * entries for "admin". It stays the window of lists with headers (browsing), whose heights differ.
 * It places the same items at the same places as the virtualizer does (a unit test compares them), and
 * is loaded with it, after the first frame (virtual-core.ts).
 */
import type { ListWindow, Options } from './use-virtualizer.ts';

/** The items in view (the view's height is the list's fixed one, `initialRect`) at `offset`, every one `size` high. */
export function uniformWindow({ count, overscan = 1, initialRect, getScrollElement }: Options, size: number, offset: number): ListWindow {
  const height = initialRect?.height ?? 0;
  const first = Math.max(0, Math.floor(offset / size) - overscan);
  // The last item that starts inside the view, then the overscan.
  const last = Math.min(count - 1, Math.ceil((offset + height) / size) - 1 + overscan);
  const items: { index: number; start: number }[] = [];
  for (let index = first; index <= last; index++) items.push({ index, start: index * size });
  return {
    getVirtualItems: () => items,
    getTotalSize: () => count * size,
    scrollToIndex(index) {
      const element = getScrollElement();
      if (!element) return;
      const start = index * size;
      if (start < element.scrollTop) element.scrollTop = start;
      else if (start + size > element.scrollTop + element.clientHeight) element.scrollTop = start + size - element.clientHeight;
    },
    scrollToOffset(to) {
      const element = getScrollElement();
      if (element) element.scrollTop = to;
    },
    scrollOffset: offset,
  };
}
