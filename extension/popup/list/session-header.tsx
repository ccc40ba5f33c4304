/** The header: the name, the refresh indicator, who is signed in with the session's time left, and Sign out. */
import { useEffect, useState } from 'preact/hooks';
import type { CachedListMeta } from '../../list-cache/cached-list.ts';
import { Logo } from '../Logo.tsx';
import { timeLeft } from '../session-time.ts';
import { RefreshIndicator } from './refresh-indicator.tsx';
import type { SyncStatus } from './refresh-indicator.tsx';

const TICK_MS = 30_000;

/** The time now, updated every 30 s: the time left counts down, and the session is seen to end, while the popup stays open. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(tick);
  }, []);
  return now;
}

interface Props {
  meta: CachedListMeta;
  sync: SyncStatus;
  now: number;
  onSignOut(): void;
}

export function SessionHeader({ meta, sync, now, onSignOut }: Props) {
  const left = timeLeft(meta.expiresAt, now);
  return (
    <header class="brand">
      <Logo />
      <h1>Switchyard</h1>
      <RefreshIndicator sync={sync} fetchedAt={meta.fetchedAt} />
      <span class="user" title={meta.userId}>
        {meta.displayName}
        {left && <span class="time-left">{left}</span>}
      </span>
      <button type="button" class="link" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
