/**
 * `npm start` (after its prerequisites check, scripts/prerequisites): the local stack plus the extension
 * built against it. Ctrl-C stops everything.
 * SWITCHYARD_PORT sets the API port (default 8787), SWITCHYARD_LOG_LEVEL the backend's log level.
 * `npm start -- --directory samba` signs people in against a throwaway Samba AD domain (LDAPS, nested
 * groups) holding the same demo people, instead of the embedded directory file.
 * `npm start -- --console multi-session` makes the federation stand-in play the console's multi-session
 * mode (sessions side by side on their own hosts) instead of single-session.
 */
import { buildExtension } from '../../scripts/build/extension.ts';
import { localSessionSecret } from './session-secret.ts';
import { ldapSignInEnv } from './samba-sign-in.ts';
import { startSambaDomain, type SambaDomain } from './samba.ts';
import { startLocalStack } from './stack.ts';

const directory = directoryArgument(process.argv.slice(2));
const consoleMode = consoleArgument(process.argv.slice(2));
const apiPort = Number(process.env.SWITCHYARD_PORT ?? 8787);
console.log('Starting Switchyard locally (moto, demo organization, policy reconcile, API, federation stand-in)...');
const started = Date.now();
let samba: SambaDomain | undefined;
if (directory === 'samba') {
  try {
    samba = await startSambaDomain({ progress: (line) => console.log(line) });
  } catch (error) {
    console.error(`Starting the Samba directory failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
const sambaDomain = samba;
const stack = await startLocalStack({
  apiPort,
  logLevel: process.env.SWITCHYARD_LOG_LEVEL ?? 'WARN',
  sessionSecret: await localSessionSecret(),
  consoleMode,
  ...(sambaDomain ? { signIn: (moto) => ldapSignInEnv(sambaDomain, moto) } : {}),
}).catch(async (error: unknown) => {
  await samba?.stop();
  throw error;
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack...`);
  await stack.stop();
  await samba?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  console.log('Building the extension for Chrome and Firefox...');
  await buildExtension('chrome', stack.apiUrl);
  await buildExtension('firefox', stack.apiUrl);
} catch (error) {
  console.error(`Building the extension failed: ${(error as Error).message}`);
  await stack.stop();
  await samba?.stop();
  process.exit(1);
}

const summary = stack.reconcile.summary;
console.log(`
Switchyard is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).

  API                  ${stack.apiUrl}
  Directory            ${samba ? `Samba AD ${samba.ldapsUrl} (CORP / corp.example.com; nested groups: Platform-Admins is in Developers)` : 'embedded demo file (backend/local/demo/directory.json)'}
  AWS (moto)           ${stack.moto.endpoint}
  Federation stand-in  ${stack.federationUrl}
  Policy bucket        s3://${stack.bucket}  (${summary})
  Member accounts      ${[...stack.accountIds].map(([name, id]) => `${name} ${id}`).join(', ')}

Next:
  1. Chrome/Edge: open chrome://extensions, turn on Developer mode, "Load unpacked", pick dist/chrome
     Firefox: open about:debugging#/runtime/this-firefox, "Load Temporary Add-on", pick dist/firefox/manifest.json
  2. Click the Switchyard toolbar button and sign in as a demo user:
${stack.demoUsers.map((user) => `       ${user.username.padEnd(6)} / ${user.password.padEnd(22)} groups: ${user.groups.join(', ') || '(none)'}`).join('\n')}
  3. Pick an account and role: the console opens in a new tab (served by the federation stand-in).

  4. Try the admin workflow against this stack (edit a copy of the demo policy, then plan and push):
       cp -r backend/local/demo/policy /tmp/policy
       export SWITCHYARD_AWS_ENDPOINT=${stack.moto.endpoint} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=${stack.moto.settings.region}
       export SWITCHYARD_POLICY_BUCKET=${stack.bucket} SWITCHYARD_IDENTITY_POOL_ID=${stack.identityPoolId}
       npx switchyard policy validate /tmp/policy && npx switchyard policy plan /tmp/policy && npx switchyard policy push /tmp/policy --reconcile

Press Ctrl-C to stop everything.`);

function directoryArgument(args: string[]): 'embedded' | 'samba' {
  const index = args.indexOf('--directory');
  if (index < 0) return 'embedded';
  const value = args[index + 1];
  if (value === 'embedded' || value === 'samba') return value;
  console.error(`--directory takes embedded (the default) or samba, not ${value ?? 'nothing'}`);
  process.exit(2);
}

function consoleArgument(args: string[]): 'single-session' | 'multi-session' {
  const index = args.indexOf('--console');
  if (index < 0) return 'single-session';
  const value = args[index + 1];
  if (value === 'single-session' || value === 'multi-session') return value;
  console.error(`--console takes single-session (the default) or multi-session, not ${value ?? 'nothing'}`);
  process.exit(2);
}
