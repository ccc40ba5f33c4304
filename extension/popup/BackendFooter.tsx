/** Which backend the popup talks to, as the settings say now (policy, options or the build), with a way to change it. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { useSettings } from '../settings/use-settings.ts';

export function BackendFooter() {
  const settings = useSettings();
  const [hasOptions, setHasOptions] = useState(false);
  useEffect(() => setHasOptions(typeof browser.runtime.openOptionsPage === 'function'), []);
  if (!settings) return null;
  const { apiUrl } = settings.values;
  const locked = settings.lockedByPolicy.includes('apiUrl');
  return (
    <footer class="backend">
      {apiUrl ? `Backend: ${apiUrl}` : 'No backend set.'}
      {hasOptions && !locked && (
        <>
          {' '}
          <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
            {apiUrl ? 'Change' : 'Set it in Options'}
          </button>
        </>
      )}
    </footer>
  );
}
