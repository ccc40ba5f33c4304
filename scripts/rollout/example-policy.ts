/**
 * The example rollout in deploy/browser-policies/: the project's extension ID (from the manifest `key`), the
 * Firefox add-on ID, and a company "example.com" that serves the extension from its own site and signs in with
 * Cognito. `npm run package:extension` writes the same files for a company's own key and URLs.
 */
import manifest from '../../manifest.json' with { type: 'json' };
import { extensionIdOfManifestKey } from './extension-key.ts';
import type { PolicyFileInput } from './policy-files.ts';

export const EXAMPLE_POLICY_FOLDER = 'deploy/browser-policies';

export const EXAMPLE_POLICY_INPUT: PolicyFileInput = {
  chromeExtensionId: extensionIdOfManifestKey(manifest.key),
  geckoId: manifest.browser_specific_settings.gecko.id,
  chromeUpdateUrl: 'https://switchyard.example.com/extension/updates.xml',
  firefoxInstallUrl: 'https://switchyard.example.com/extension/switchyard.xpi',
  settings: {
    apiUrl: 'https://switchyard.example.com',
    signInMethod: 'cognito',
    cognito: { domain: 'https://login.example.com', clientId: '4example1client2id3', scopes: ['openid', 'email', 'profile'] },
    defaultRegion: 'eu-west-1',
    openMode: 'new-tab',
  },
};
