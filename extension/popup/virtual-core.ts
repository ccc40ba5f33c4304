/** @tanstack/virtual-core, as the popup loads it: after the first frame (use-virtualizer.ts). */
export { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
