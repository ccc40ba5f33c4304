/**
 * Packs the extension for self-hosting: a signed CRX3 and its update manifest (gupdate XML) for Chrome and
 * Edge, an XPI and its update manifest (updates.json) for Firefox, and the browser policy files filled in with
 * this key's extension ID and these URLs. The CRX's extension ID follows from the signing key, and the build
 * writes that key's public half into the manifest, so the CRX, the manifest and the policy files agree.
 * The XPI is not signed: release Firefox installs only add-ons Mozilla signed (docs/rollout.md).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import crx3 from 'crx3';
import { buildExtension } from '../build/extension.ts';
import { checkBackendUrl } from '../../shared/backend-url.ts';
import type { Settings } from '../../extension/settings/settings.ts';
import manifest from '../../manifest.json' with { type: 'json' };
import { loadOrCreateSigningKey } from './extension-key.ts';
import { renderPolicyFiles } from './policy-files.ts';
import { chromeUpdateManifest, firefoxUpdateManifest } from './update-manifests.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CRX_FILE = 'switchyard.crx';
export const XPI_FILE = 'switchyard.xpi';
export const CHROME_UPDATE_FILE = 'updates.xml';
export const FIREFOX_UPDATE_FILE = 'updates.json';
export const POLICY_FOLDER = 'browser-policies';

export interface PackageOptions {
  /** The folder (https://, or http:// to loopback) the files will be served from; the update manifests name it. */
  downloadUrl: string;
  /** PEM private key that signs the CRX; created if missing. Its public key fixes the extension ID. */
  keyPath: string;
  /** Output folder. */
  outDir: string;
  /** The backend URL baked in as the default; unset: policy or the options page must set it. */
  apiUrl?: string | undefined;
  /** Settings the policy files set and lock (apiUrl defaults to `apiUrl`). */
  policySettings?: Partial<Settings>;
}

export interface PackageResult {
  extensionId: string;
  geckoId: string;
  version: string;
  keyCreated: boolean;
  files: string[];
}

export async function packageExtension(options: PackageOptions): Promise<PackageResult> {
  const base = folderUrl(options.downloadUrl);
  const key = loadOrCreateSigningKey(options.keyPath);
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const urls = {
    crx: `${base}${CRX_FILE}`,
    xpi: `${base}${XPI_FILE}`,
    chromeUpdates: `${base}${CHROME_UPDATE_FILE}`,
    firefoxUpdates: `${base}${FIREFOX_UPDATE_FILE}`,
  };
  await mkdir(join(options.outDir, POLICY_FOLDER), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'switchyard-package-'));
  try {
    const chromeDir = join(work, 'chrome');
    const firefoxDir = join(work, 'firefox');
    await buildExtension('chrome', options.apiUrl, chromeDir, {
      SWITCHYARD_EXTENSION_KEY: key.manifestKey,
      SWITCHYARD_UPDATE_URL: urls.chromeUpdates,
    });
    // Firefox refuses to install an add-on whose update_url is plain http (checked with ESR 153), even from loopback.
    const firefoxEnv: Record<string, string> = base.startsWith('https:') ? { SWITCHYARD_FIREFOX_UPDATE_URL: urls.firefoxUpdates } : {};
    await buildExtension('firefox', options.apiUrl, firefoxDir, firefoxEnv);

    const packed = await crx3([chromeDir], { keyPath: options.keyPath, crxPath: join(options.outDir, CRX_FILE) });
    if (packed.appId !== key.extensionId) {
      throw new Error(`crx3 signed the CRX as ${packed.appId}, but ${options.keyPath} gives ${key.extensionId}`);
    }
    await zipFirefox(firefoxDir, options.outDir, XPI_FILE);

    const files: Record<string, string> = {
      [CHROME_UPDATE_FILE]: chromeUpdateManifest({
        extensionId: key.extensionId,
        version: manifest.version,
        crxUrl: urls.crx,
        minimumChromeVersion: manifest.minimum_chrome_version,
      }),
      [FIREFOX_UPDATE_FILE]: firefoxUpdateManifest({ geckoId, version: manifest.version, xpiUrl: urls.xpi }),
    };
    const settings = { ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}), ...options.policySettings };
    const policies = renderPolicyFiles({
      chromeExtensionId: key.extensionId,
      geckoId,
      chromeUpdateUrl: urls.chromeUpdates,
      firefoxInstallUrl: urls.xpi,
      settings,
    });
    for (const [name, content] of Object.entries(policies)) files[join(POLICY_FOLDER, name)] = content;
    for (const [name, content] of Object.entries(files)) await writeFile(join(options.outDir, name), content);
    return {
      extensionId: key.extensionId,
      geckoId,
      version: manifest.version,
      keyCreated: key.created,
      files: [CRX_FILE, XPI_FILE, ...Object.keys(files)],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The download folder as a URL ending in "/", by the same rule as the backend URL (https, or http to loopback). */
function folderUrl(raw: string): string {
  const checked = checkBackendUrl(raw);
  if (!checked.ok) throw new Error(`--download-url ${checked.reason.replace('the backend URL', 'the URL')}`);
  return `${checked.url}/`;
}

/** Mozilla's own packer (web-ext build) zips the Firefox build into an XPI. */
async function zipFirefox(sourceDir: string, outDir: string, fileName: string): Promise<void> {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/web-ext/bin/web-ext.js'),
        'build',
        '--source-dir',
        sourceDir,
        '--artifacts-dir',
        outDir,
        '--filename',
        fileName,
        '--overwrite-dest',
        '--no-input',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`web-ext build failed (exit ${code}):\n${output.join('')}`);
}
