/**
 * Open console sessions: the background says which account and role pairs have a console signed in
 * (and whether the browser holds the five sessions the AWS console allows). Asked once the list is
 * drawn, and again after each console opens; rows of such pairs are marked.
 */
import type { ComponentType } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { sendToBackground } from '../background-client.ts';

export interface OpenSessions {
  /** "<account id>:<permission set>" of each pair with an open console session. */
  open: ReadonlySet<string>;
  /** As many sessions as the console allows (the next sign-in would be refused): the notice that says so. */
  FullNotice?: ComponentType | undefined;
}

const NONE: OpenSessions = { open: new Set() };

/** The notice's words load only when a browser holds five sessions: not part of the popup's first bundle. */
let FullNotice: ComponentType | undefined;

/** What the background knows of the open console sessions, and a way to ask again. */
export function useOpenSessions(): [sessions: OpenSessions, recheck: () => void] {
  const [sessions, setSessions] = useState(NONE);
  const recheck = useCallback(() => {
    void sendToBackground({ type: 'console/sessions' }).then((reply) => {
      if (!reply.ok) return;
      const open = new Set(reply.open);
      if (!reply.full) return setSessions({ open });
      if (FullNotice) return setSessions({ open, FullNotice });
      void import('./sessions-full-notice.tsx').then((module) => {
        FullNotice = module.SessionsFullNotice;
        setSessions({ open, FullNotice });
      });
    });
  }, []);
  useEffect(recheck, [recheck]);
  return [sessions, recheck];
}
