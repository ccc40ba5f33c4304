/**
 * Open console sessions: the background says which account and role pairs have a console signed in
 * (and whether the browser holds the five sessions the AWS console allows). Asked once the list is
 * drawn, and again after each console opens; rows of such pairs are marked.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { sendToBackground } from '../background-client.ts';

export interface OpenSessions {
  /** "<account id>:<permission set>" of each pair with an open console session. */
  open: ReadonlySet<string>;
  /** As many sessions as the console allows: the next sign-in would be refused. */
  full: boolean;
}

const NONE: OpenSessions = { open: new Set(), full: false };

/** What the background knows of the open console sessions, and a way to ask again. */
export function useOpenSessions(): [sessions: OpenSessions, recheck: () => void] {
  const [sessions, setSessions] = useState(NONE);
  const recheck = useCallback(() => {
    void sendToBackground({ type: 'console/sessions' }).then((reply) => {
      if (reply.ok) setSessions({ open: new Set(reply.open), full: reply.full });
    });
  }, []);
  useEffect(recheck, [recheck]);
  return [sessions, recheck];
}

export function SessionsFullNotice() {
  return (
    <p class="message warning sessions-full" role="status">
      Five console sessions are open, as many as the AWS console allows. Sign out of one in the console before opening another account.
    </p>
  );
}
