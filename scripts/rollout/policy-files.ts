/**
 * Browser policy files that roll Switchyard out company-wide: force-install (pinned to the toolbar) from the
 * company's own download folder, and the extension's settings set and locked by policy ("3rdparty", read by
 * the extension from storage.managed). One renderer for every format, so the files in
 * deploy/browser-policies/ (examples, `npm run policy-files`) and those `npm run package:extension` writes
 * for a company's own key and URLs cannot differ in shape. Where each file goes: docs/rollout.md.
 */
import { createHash } from 'node:crypto';
import { build as buildPlist } from 'plist';
import { parseSetting } from '../../extension/settings/resolve.ts';
import { isSettingName } from '../../extension/settings/settings.ts';
import type { Settings } from '../../extension/settings/settings.ts';

export interface PolicyFileInput {
  /** The Chrome/Edge extension ID (from the signing key). */
  chromeExtensionId: string;
  /** Firefox's `browser_specific_settings.gecko.id`. */
  geckoId: string;
  /** Where Chrome and Edge fetch the update manifest (gupdate XML) that names the CRX. */
  chromeUpdateUrl: string;
  /** Where Firefox downloads the XPI (it must be signed for release Firefox). */
  firefoxInstallUrl: string;
  /** The settings company policy sets and locks. */
  settings: Partial<Settings>;
}

/** File name -> content. */
export type PolicyFiles = Record<string, string>;

type Json = string | number | boolean | Json[] | { [key: string]: Json };

export function renderPolicyFiles(input: PolicyFileInput): PolicyFiles {
  const settings = checkedSettings(input.settings);
  const chromeInstall = { installation_mode: 'force_installed', update_url: input.chromeUpdateUrl };
  const chrome = { ...chromeInstall, toolbar_pin: 'force_pinned' };
  const edge = { ...chromeInstall, toolbar_state: 'force_shown' };
  const id = input.chromeExtensionId;
  return {
    'chrome-linux.json': json({ ExtensionSettings: { [id]: chrome }, '3rdparty': { extensions: { [id]: settings } } }),
    'edge-linux.json': json({ ExtensionSettings: { [id]: edge }, '3rdparty': { extensions: { [id]: settings } } }),
    'chrome-windows.reg': registryFile('SOFTWARE\\Policies\\Google\\Chrome', id, chrome, settings),
    'edge-windows.reg': registryFile('SOFTWARE\\Policies\\Microsoft\\Edge', id, edge, settings),
    'chrome-macos.mobileconfig': macProfile('com.google.Chrome', 'Google Chrome', id, chrome, settings),
    'edge-macos.mobileconfig': macProfile('com.microsoft.Edge', 'Microsoft Edge', id, edge, settings),
    'google-admin-console.json': json(Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, { Value: value }]))),
    'firefox-policies.json': json({
      policies: {
        ExtensionSettings: {
          [input.geckoId]: { installation_mode: 'force_installed', install_url: input.firefoxInstallUrl, default_area: 'navbar' },
        },
        '3rdparty': { Extensions: { [input.geckoId]: settings } },
      },
    }),
  };
}

/** Every value checked by the extension's own schema, so a file never carries a setting the extension would refuse. */
function checkedSettings(settings: Partial<Settings>): { [key: string]: Json } {
  const checked: { [key: string]: Json } = {};
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (!isSettingName(name)) throw new Error(`policy files: "${name}" is not a Switchyard setting`);
    const parsed = parseSetting(name, value);
    if (!parsed.ok) throw new Error(`policy files: setting ${name}: ${parsed.message}`);
    checked[name] = parsed.value as Json;
  }
  return checked;
}

function json(value: Json): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A .reg file for HKEY_LOCAL_MACHINE. Objects become subkeys and lists subkeys with values named 1, 2, ...;
 * strings are REG_SZ, booleans and integers REG_DWORD: the forms Chrome (and Edge) convert back to JSON by
 * the policy schema (components/policy/core/common/registry_dict.cc).
 */
function registryFile(root: string, extensionId: string, install: Record<string, string>, settings: { [key: string]: Json }): string {
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    '; Switchyard: force-installed from your download folder and pinned to the toolbar (ExtensionSettings),',
    '; with its settings set and locked by policy (3rdparty). See docs/rollout.md.',
    '',
    ...registryKey(`HKEY_LOCAL_MACHINE\\${root}\\ExtensionSettings\\${extensionId}`, install),
    ...registryKey(`HKEY_LOCAL_MACHINE\\${root}\\3rdparty\\extensions\\${extensionId}\\policy`, settings),
  ];
  return `${lines.join('\r\n').trimEnd()}\r\n`;
}

function registryKey(path: string, values: { [key: string]: Json } | Json[]): string[] {
  const entries: [string, Json][] = Array.isArray(values) ? values.map((value, index) => [String(index + 1), value]) : Object.entries(values);
  const own = entries.filter(([, value]) => typeof value !== 'object');
  const nested = entries.filter(([, value]) => typeof value === 'object');
  return [
    `[${path}]`,
    ...own.map(([name, value]) => `${registryString(name)}=${registryValue(value)}`),
    '',
    ...nested.flatMap(([name, value]) => registryKey(`${path}\\${name}`, value as { [key: string]: Json } | Json[])),
  ];
}

function registryValue(value: Json): string {
  if (typeof value === 'boolean') return `dword:${value ? '00000001' : '00000000'}`;
  if (typeof value === 'number') return `dword:${(value >>> 0).toString(16).padStart(8, '0')}`;
  return registryString(String(value));
}

function registryString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A macOS configuration profile with two payloads: the browser's own preference domain (ExtensionSettings) and
 * the extension's (`<bundle id>.extensions.<extension id>`, where Chrome and Edge read "3rdparty" policy on macOS).
 * Payload UUIDs are derived from the content's identifiers, so re-rendering the same input gives the same file.
 */
function macProfile(
  bundleId: string,
  browserName: string,
  extensionId: string,
  install: Record<string, string>,
  settings: { [key: string]: Json },
): string {
  const profileId = `com.switchyard.policy.${bundleId}`;
  const payload = (part: string, type: string, name: string, content: { [key: string]: Json }) => ({
    PayloadType: type,
    PayloadIdentifier: `${profileId}.${part}`,
    PayloadUUID: stableUuid(`${profileId}.${part}`),
    PayloadVersion: 1,
    PayloadDisplayName: name,
    PayloadEnabled: true,
    ...content,
  });
  const profile = {
    PayloadType: 'Configuration',
    PayloadIdentifier: profileId,
    PayloadUUID: stableUuid(profileId),
    PayloadVersion: 1,
    PayloadScope: 'System',
    PayloadDisplayName: `Switchyard for ${browserName}`,
    PayloadDescription: `Installs Switchyard in ${browserName}, pinned to the toolbar, and sets its settings by policy.`,
    PayloadContent: [
      payload('install', bundleId, `${browserName}: install Switchyard`, { ExtensionSettings: { [extensionId]: install } }),
      payload('settings', `${bundleId}.extensions.${extensionId}`, 'Switchyard settings', settings),
    ],
  };
  return `${buildPlist(profile)}\n`;
}

function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}
