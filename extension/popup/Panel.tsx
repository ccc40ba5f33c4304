/**
 * A view over the list (the open panel, the request form, the to-approve view): a dialog with a Back
 * button and its title; Back, Escape or Alt+Left returns to the list.
 */
import type { ComponentChildren } from 'preact';

export interface PanelProps {
  /** A class beside `panel`, for the view's own style. */
  kind?: string;
  /** The dialog's accessible name. */
  label: string;
  /** What the header shows beside Back. */
  title: ComponentChildren;
  onClose: () => void;
  children: ComponentChildren;
}

export function Panel({ kind, label, title, onClose, children }: PanelProps) {
  return (
    <section
      class={kind ? `panel ${kind}` : 'panel'}
      role="dialog"
      aria-label={label}
      onKeyDown={(event) => {
        if (event.key === 'Escape' || (event.key === 'ArrowLeft' && event.altKey)) {
          event.preventDefault();
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <header class="panel-head">
        <button type="button" class="link" onClick={onClose} aria-label="Back to the list">
          ‹ Back
        </button>
        <div class="panel-title">{title}</div>
      </header>
      {children}
    </section>
  );
}
