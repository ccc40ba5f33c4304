/**
 * Which backend the popup talks to, as the settings say now (policy, options or the build), with a way to
 * change it. Asked of the background, which holds the settings: the popup loads no settings or schema code.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BackendInUse } from '../messages.ts';
import { sendToBackground } from './background-client.ts';
import { ext } from './browser-api.ts';

export function BackendFooter() {
  const [backend, setBackend] = useState<BackendInUse | undefined>();
  useEffect(() => {
    let live = true;
    const ask = () =>
      void sendToBackground({ type: 'settings/backend' }).then((reply) => {
        if (live && reply.ok) setBackend(reply);
      });
    // Policy (managed) and the person's options (sync) can change while the popup is open.
    const onChanged = (_changes: unknown, area: string) => {
      if (area === 'managed' || area === 'sync') ask();
    };
    ask();
    ext.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      ext.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  if (!backend) return null;
  const { apiUrl, lockedByPolicy } = backend;
  const canOpenOptions = typeof ext.runtime.openOptionsPage === 'function';
  return (
    <footer class="backend">
      {apiUrl ? `Backend: ${apiUrl}` : 'No backend set.'}
      {canOpenOptions && !lockedByPolicy && (
        <>
          {' '}
          <button type="button" class="link" onClick={() => void ext.runtime.openOptionsPage()}>
            {apiUrl ? 'Change' : 'Set it in Options'}
          </button>
        </>
      )}
    </footer>
  );
}
