/**
 * The update manifests browsers poll for self-hosted extensions: Chrome and Edge read a gupdate XML file
 * (the ExtensionSettings `update_url` and the manifest's `update_url` point at it), Firefox a JSON file (the
 * manifest's `gecko.update_url`).
 */

export interface ChromeUpdate {
  extensionId: string;
  version: string;
  crxUrl: string;
  minimumChromeVersion?: string;
}

export function chromeUpdateManifest(update: ChromeUpdate): string {
  const minimum = update.minimumChromeVersion ? ` prodversionmin="${xml(update.minimumChromeVersion)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">
  <app appid="${xml(update.extensionId)}">
    <updatecheck codebase="${xml(update.crxUrl)}" version="${xml(update.version)}"${minimum} />
  </app>
</gupdate>
`;
}

export interface FirefoxUpdate {
  geckoId: string;
  version: string;
  xpiUrl: string;
}

export function firefoxUpdateManifest(update: FirefoxUpdate): string {
  const manifest = { addons: { [update.geckoId]: { updates: [{ version: update.version, update_link: update.xpiUrl }] } } };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
