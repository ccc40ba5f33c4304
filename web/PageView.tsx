/** The frame of the page's own views (a deep link opening, the CLI's sign-in): the popup's header, then what the view says. */
import type { ComponentChildren } from 'preact';
import { Logo } from '../extension/popup/Logo.tsx';

export function PageView({ busy, children }: { busy?: boolean; children: ComponentChildren }) {
  return (
    <main class="popup page-view" aria-busy={busy}>
      <header class="brand">
        <Logo />
        <h1>Switchyard</h1>
      </header>
      <div class="page-body">{children}</div>
    </main>
  );
}
