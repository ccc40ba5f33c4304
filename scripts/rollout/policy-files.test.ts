/**
 * The policy files, read back the way each browser reads them, must carry exactly the settings they were
 * rendered from, every one valid for the extension; the committed examples must be what the renderer writes.
 * The Linux JSON and Firefox's policies.json are also used for real, by Chromium and Firefox in
 * test/e2e/managed-policy.test.ts and test/e2e/firefox-policy.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { managedStorageSchema } from '../../extension/settings/managed-schema.ts';
import type { ManagedSchemaNode } from '../../extension/settings/managed-schema.ts';
import { resolveSettings } from '../../extension/settings/resolve.ts';
import { SETTING_NAMES } from '../../extension/settings/settings.ts';
import manifest from '../../manifest.json' with { type: 'json' };
import { EXAMPLE_POLICY_FOLDER, EXAMPLE_POLICY_INPUT } from './example-policy.ts';
import { extensionIdOfManifestKey } from './extension-key.ts';
import { renderPolicyFiles } from './policy-files.ts';
import type { PolicyFileInput } from './policy-files.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ID = extensionIdOfManifestKey(manifest.key);
const GECKO = manifest.browser_specific_settings.gecko.id;

/** Another input, to show the renderer follows its input: booleans, no Cognito, other URLs. */
const OTHER: PolicyFileInput = {
  chromeExtensionId: 'abcdefghijklmnopabcdefghijklmnop',
  geckoId: 'switchyard@corp.example.net',
  chromeUpdateUrl: 'https://downloads.corp.example.net/switchyard/updates.xml?channel=stable&x=1',
  firefoxInstallUrl: 'https://downloads.corp.example.net/switchyard/switchyard.xpi',
  settings: { apiUrl: 'https://api.corp.example.net/prod', signInMethod: 'directory', firefoxContainers: true, openMode: 'background-tab' },
};

type Json = string | number | boolean | Json[] | { [key: string]: Json };

describe('the committed example policy files', () => {
  it(`are what \`npm run policy-files\` writes (${EXAMPLE_POLICY_FOLDER}/)`, () => {
    const rendered = renderPolicyFiles(EXAMPLE_POLICY_INPUT);
    const folder = join(ROOT, EXAMPLE_POLICY_FOLDER);
    expect(readdirSync(folder).sort()).toEqual(Object.keys(rendered).sort());
    for (const [name, content] of Object.entries(rendered)) expect(readFileSync(join(folder, name), 'utf8'), name).toBe(content);
  });

  it("name the extension ID of the manifest's key (as documented) and the Firefox add-on ID", () => {
    expect(ID).toBe('kbdnpmnebjllmfocnhohiofmebjgfjmp');
    expect(readFileSync(join(ROOT, 'docs/rollout.md'), 'utf8')).toContain(ID);
    expect(EXAMPLE_POLICY_INPUT.chromeExtensionId).toBe(ID);
    expect(EXAMPLE_POLICY_INPUT.geckoId).toBe(GECKO);
    expect(GECKO).not.toMatch(/\.invalid$/);
  });
});

describe('docs/rollout.md', () => {
  it('has a row for every setting', () => {
    const docs = readFileSync(join(ROOT, 'docs/rollout.md'), 'utf8');
    for (const name of SETTING_NAMES) expect(docs, name).toContain(`| \`${name}\` |`);
  });
});

describe.each([
  ['the example', EXAMPLE_POLICY_INPUT],
  ['another company', OTHER],
])('policy files for %s', (_name, input) => {
  const files = renderPolicyFiles(input);
  const id = input.chromeExtensionId;

  /** The settings a browser hands the extension, checked as the extension checks them. */
  function expectSettings(received: unknown, file: string): void {
    expect(received, file).toEqual(input.settings);
    const resolved = resolveSettings({ policy: received as Record<string, unknown>, person: {}, defaults: {} });
    expect(resolved.problems, file).toEqual([]);
    expect(resolved.lockedByPolicy.sort(), file).toEqual(Object.keys(input.settings).sort());
  }

  it('Chrome and Edge on Linux: force-install from the update URL, pinned, and the settings as "3rdparty"', () => {
    const chrome = JSON.parse(files['chrome-linux.json'] ?? '') as Record<string, Record<string, Record<string, unknown>>>;
    expect(chrome.ExtensionSettings).toEqual({
      [id]: { installation_mode: 'force_installed', update_url: input.chromeUpdateUrl, toolbar_pin: 'force_pinned' },
    });
    expectSettings(chrome['3rdparty']?.extensions?.[id], 'chrome-linux.json');
    const edge = JSON.parse(files['edge-linux.json'] ?? '') as Record<string, Record<string, Record<string, unknown>>>;
    expect(edge.ExtensionSettings?.[id]).toEqual({
      installation_mode: 'force_installed',
      update_url: input.chromeUpdateUrl,
      toolbar_state: 'force_shown',
    });
    expectSettings(edge['3rdparty']?.extensions?.[id], 'edge-linux.json');
  });

  it.each([
    ['chrome-windows.reg', 'SOFTWARE\\Policies\\Google\\Chrome', { toolbar_pin: 'force_pinned' }],
    ['edge-windows.reg', 'SOFTWARE\\Policies\\Microsoft\\Edge', { toolbar_state: 'force_shown' }],
  ])('Windows: %s sets the ExtensionSettings and 3rdparty registry keys', (file, root, pin) => {
    const text = files[file] ?? '';
    expect(text.startsWith('Windows Registry Editor Version 5.00\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const registry = parseRegFile(text);
    const base = `HKEY_LOCAL_MACHINE\\${root}`;
    expect(registryToJson(registry, `${base}\\ExtensionSettings\\${id}`, undefined)).toEqual({
      installation_mode: 'force_installed',
      update_url: input.chromeUpdateUrl,
      ...pin,
    });
    expectSettings(registryToJson(registry, `${base}\\3rdparty\\extensions\\${id}\\policy`, managedStorageSchema()), file);
  });

  it.each([
    ['chrome-macos.mobileconfig', 'com.google.Chrome', { toolbar_pin: 'force_pinned' }],
    ['edge-macos.mobileconfig', 'com.microsoft.Edge', { toolbar_state: 'force_shown' }],
  ])('macOS: %s has the browser payload and the extension payload', (file, bundleId, pin) => {
    const profile = parsePlist(files[file] ?? '') as { PayloadType: string; PayloadUUID: string; PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadType).toBe('Configuration');
    const [browserPayload, extensionPayload] = profile.PayloadContent;
    expect(browserPayload?.PayloadType).toBe(bundleId);
    expect(browserPayload?.ExtensionSettings).toEqual({ [id]: { installation_mode: 'force_installed', update_url: input.chromeUpdateUrl, ...pin } });
    expect(extensionPayload?.PayloadType).toBe(`${bundleId}.extensions.${id}`);
    const settings = Object.fromEntries(Object.entries(extensionPayload ?? {}).filter(([key]) => !key.startsWith('Payload')));
    expectSettings(settings, file);
    const uuids = [profile.PayloadUUID, ...profile.PayloadContent.map((payload) => payload.PayloadUUID)];
    expect(new Set(uuids).size).toBe(3);
    for (const uuid of uuids) expect(uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('Google Admin console: each setting wrapped as {"Value": ...}', () => {
    const policy = JSON.parse(files['google-admin-console.json'] ?? '') as Record<string, { Value: unknown }>;
    expect(Object.values(policy).every((entry) => Object.keys(entry).join() === 'Value')).toBe(true);
    expectSettings(Object.fromEntries(Object.entries(policy).map(([name, entry]) => [name, entry.Value])), 'google-admin-console.json');
  });

  it('Firefox: policies.json force-installs the XPI into the toolbar and sets the settings as "3rdparty"', () => {
    const { policies } = JSON.parse(files['firefox-policies.json'] ?? '') as { policies: Record<string, Record<string, Record<string, unknown>>> };
    expect(policies.ExtensionSettings).toEqual({
      [input.geckoId]: { installation_mode: 'force_installed', install_url: input.firefoxInstallUrl, default_area: 'navbar' },
    });
    expectSettings(policies['3rdparty']?.Extensions?.[input.geckoId], 'firefox-policies.json');
  });
});

describe('renderPolicyFiles', () => {
  it('refuses a setting the extension would refuse, naming it and quoting no value', () => {
    expect(() => renderPolicyFiles({ ...OTHER, settings: { apiUrl: 'http://switchyard.corp.example.net' } })).toThrow(
      /setting apiUrl: the backend URL must use https/,
    );
    expect(() => renderPolicyFiles({ ...OTHER, settings: { openMode: 'sideways' as never } })).toThrow(/setting openMode/);
    expect(() => renderPolicyFiles({ ...OTHER, settings: { colour: 'red' } as never })).toThrow(/"colour" is not a Switchyard setting/);
  });
});

// --- Reading a .reg file back as Chrome does: keys and values, then JSON by the policy schema. ---

type RegistryValue = string | number;
interface RegistryKey {
  values: Map<string, RegistryValue>;
  keys: Map<string, RegistryKey>;
}

function parseRegFile(text: string): RegistryKey {
  const root: RegistryKey = { values: new Map(), keys: new Map() };
  let current: RegistryKey | undefined;
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith(';') || line.startsWith('Windows Registry Editor')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      let key: RegistryKey = root;
      for (const part of (section[1] ?? '').split('\\')) {
        let next: RegistryKey | undefined = key.keys.get(part);
        if (!next) key.keys.set(part, (next = { values: new Map(), keys: new Map() }));
        key = next;
      }
      current = key;
      continue;
    }
    const value = /^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))$/.exec(line);
    if (!value || !current) throw new Error(`not a .reg line: ${line}`);
    const unescape = (raw: string) => raw.replace(/\\(.)/g, '$1');
    current.values.set(unescape(value[1] ?? ''), value[3] !== undefined ? parseInt(value[3], 16) : unescape(value[2] ?? ''));
  }
  return root;
}

/** Chrome's conversion: subkeys are objects (or lists, numbered), REG_DWORD becomes a boolean where the schema wants one. */
function registryToJson(root: RegistryKey, path: string, schema: ManagedSchemaNode | undefined): Json {
  let key: RegistryKey | undefined = root;
  for (const part of path.split('\\')) key = key?.keys.get(part);
  if (!key) throw new Error(`no registry key ${path}`);
  return convertKey(key, schema);
}

function convertKey(key: RegistryKey, schema: ManagedSchemaNode | undefined): Json {
  if (schema?.type === 'array') {
    const numbered = [...key.values].filter(([name]) => /^\d+$/.test(name)).sort(([a], [b]) => Number(a) - Number(b));
    return numbered.map(([, value]) => convertValue(value, schema.items));
  }
  const result: { [name: string]: Json } = {};
  for (const [name, value] of key.values) result[name] = convertValue(value, schema?.properties?.[name]);
  for (const [name, sub] of key.keys) result[name] = convertKey(sub, schema?.properties?.[name]);
  return result;
}

function convertValue(value: RegistryValue, schema: ManagedSchemaNode | undefined): Json {
  if (schema?.type === 'boolean' && typeof value === 'number') return value !== 0;
  return value;
}
