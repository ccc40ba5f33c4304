/** @tanstack/virtual-core, and the window of a list of one item height, as the popup loads them: after the first frame (use-virtualizer.ts). */
export { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
export { uniformWindow } from './uniform-window.ts';
