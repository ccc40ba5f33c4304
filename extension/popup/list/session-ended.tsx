/**
 * The expired state: once the session has ended (its end time passed, or the background could not
 * renew it) the list stays, read-only, under "Your session ended at 14:05 … Sign in again".
 */
import type { CachedList } from '../cached-list-reader.ts';
import { clockTime, hasEnded } from '../session-time.ts';

export function hasSessionEnded(cached: CachedList, now: number): boolean {
  return cached.ended === true || hasEnded(cached.meta.expiresAt, now);
}

export function SessionEndedNotice({ cached, onSignInAgain }: { cached: CachedList; onSignInAgain(): void }) {
  const { meta } = cached;
  return (
    <p class="message warning expired" role="alert">
      Your session ended{meta.expiresAt && !cached.ended ? ` at ${clockTime(meta.expiresAt)}` : ''}. The list below is from before.{' '}
      <button type="button" class="link" onClick={onSignInAgain}>
        Sign in again
      </button>
    </p>
  );
}
