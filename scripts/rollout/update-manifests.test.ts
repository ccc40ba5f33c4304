import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionIdOfManifestKey, loadOrCreateSigningKey } from './extension-key.ts';
import { chromeUpdateManifest, firefoxUpdateManifest } from './update-manifests.ts';

describe('chromeUpdateManifest', () => {
  it('names the extension, its version and where its CRX is, escaped for XML', () => {
    const xml = chromeUpdateManifest({
      extensionId: 'abcdefghijklmnopabcdefghijklmnop',
      version: '1.2.3',
      crxUrl: 'https://downloads.example.com/switchyard.crx?a=1&b="2"',
      minimumChromeVersion: '102',
    });
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<gupdate xmlns="http://www.google.com/update2/response" protocol="2.0">
  <app appid="abcdefghijklmnopabcdefghijklmnop">
    <updatecheck codebase="https://downloads.example.com/switchyard.crx?a=1&amp;b=&quot;2&quot;" version="1.2.3" prodversionmin="102" />
  </app>
</gupdate>
`);
  });
});

describe('firefoxUpdateManifest', () => {
  it("lists the version and its XPI under the add-on's ID", () => {
    expect(
      JSON.parse(firefoxUpdateManifest({ geckoId: 'switchyard@switchyard.dev', version: '1.2.3', xpiUrl: 'https://d.example.com/s.xpi' })),
    ).toEqual({
      addons: { 'switchyard@switchyard.dev': { updates: [{ version: '1.2.3', update_link: 'https://d.example.com/s.xpi' }] } },
    });
  });
});

describe('loadOrCreateSigningKey', () => {
  it('creates a key readable only by its owner once, then reads the same key and ID back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'switchyard-key-')), 'nested', 'key.pem');
    const first = loadOrCreateSigningKey(path);
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = loadOrCreateSigningKey(path);
    expect(again).toEqual({ ...first, created: false });
    expect(first.extensionId).toMatch(/^[a-p]{32}$/);
    expect(extensionIdOfManifestKey(first.manifestKey)).toBe(first.extensionId);
  });

  it('says which file is not a key', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'switchyard-key-')), 'key.pem');
    writeFileSync(path, 'not a key');
    expect(() => loadOrCreateSigningKey(path)).toThrow(`${path} is not a PEM private key`);
  });
});
