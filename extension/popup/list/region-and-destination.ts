/**
 * The region and destination panel of a row (→, or the row's ›): it is loaded the first time it is
 * opened, and closing it puts focus back in the search box. Its pinned destinations ("EC2 in
 * eu-west-1") are kept where the host keeps preferences (the extension: storage.sync).
 */
import { useState } from 'preact/hooks';
import type { ComponentType, RefObject } from 'preact';
import { savePinned } from '../host.ts';
import type { OpenPanelProps } from '../OpenPanel.tsx';
import type { PinnedDestination } from '../preferences.ts';

/** The panel, once loaded. */
let OpenPanel: ComponentType<OpenPanelProps> | undefined;

export interface RegionAndDestination {
  /** The panel component, once loaded. */
  Panel: ComponentType<OpenPanelProps> | undefined;
  /** The list item the panel is open for. */
  item: number | undefined;
  show(item: number): void;
  close(): void;
  pinned: PinnedDestination[];
  updatePinned(pinned: PinnedDestination[]): void;
}

export function useRegionAndDestination(search: RefObject<HTMLInputElement>, savedPinned: PinnedDestination[]): RegionAndDestination {
  const [item, setItem] = useState<number>();
  const [, setLoaded] = useState(!!OpenPanel);
  const [pinned, setPinned] = useState(savedPinned);

  function show(at: number) {
    setItem(at);
    if (!OpenPanel)
      void import('../OpenPanel.tsx').then((module) => {
        OpenPanel = module.OpenPanel;
        setLoaded(true);
      });
  }

  function close() {
    setItem(undefined);
    search.current?.focus();
  }

  function updatePinned(next: PinnedDestination[]) {
    setPinned(next);
    void savePinned(next);
  }

  return { Panel: OpenPanel, item, show, close, pinned, updatePinned };
}
