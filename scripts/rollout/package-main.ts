/**
 * `npm run package:extension -- --download-url URL [--key FILE] [--api-url URL] [--settings FILE] [--out DIR]`
 * Packs the CRX, the XPI, their update manifests and the policy files into dist/package/ (docs/rollout.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageExtension } from './package.ts';

const DEV_KEY = '.local/extension-dev-key.pem';
const USAGE = `usage: npm run package:extension -- --download-url https://downloads.example.com/switchyard/ [--key company-key.pem] [--api-url https://switchyard.example.com] [--settings policy-settings.json] [--out dist/package]

  --download-url  the https:// folder you will serve the files from (the update manifests name it)
  --key           the PEM private key that signs the CRX and fixes the extension ID; created if missing.
                  Keep it secret and keep it: a new key is a new extension ID. Default: ${DEV_KEY} (for testing)
  --api-url       the backend URL built in as the default (policy and the options page can still set it)
  --settings      a JSON file of settings the policy files set and lock, e.g. {"signInMethod": "directory"}
  --out           output folder (default dist/package)`;

try {
  const { values } = parseArgs({
    options: {
      'download-url': { type: 'string' },
      key: { type: 'string' },
      'api-url': { type: 'string' },
      settings: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values['download-url']) throw new Error('--download-url is missing');
  const keyPath = resolve(values.key ?? DEV_KEY);
  const outDir = resolve(values.out ?? 'dist/package');
  const policySettings = values.settings ? (JSON.parse(readFileSync(values.settings, 'utf8')) as Record<string, unknown>) : {};
  const result = await packageExtension({ downloadUrl: values['download-url'], keyPath, outDir, apiUrl: values['api-url'], policySettings });
  console.log(`Packed Switchyard ${result.version} into ${outDir}:`);
  for (const file of result.files) console.log(`  ${file}`);
  console.log(`
  Chrome/Edge extension ID  ${result.extensionId}  (from ${keyPath}${result.keyCreated ? ', created now: keep it secret and keep it' : ''})
  Firefox add-on ID         ${result.geckoId}
${values.key ? '' : `\n  This used the development key ${DEV_KEY}. For your company, pass --key with your own key file.\n`}
  Serve ${outDir} at ${values['download-url']} and roll out the files in browser-policies/ (docs/rollout.md).
  The XPI is not signed: release Firefox installs it only once Mozilla signed it (docs/rollout.md).`);
} catch (error) {
  console.error(`package:extension: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(1);
}
