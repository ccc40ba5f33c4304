/** `apt-get update` then `apt-get install -y` of exactly the packages asked for, as root on Debian or Ubuntu. */
import { run } from './system.ts';

export interface AptResult {
  ok: boolean;
  /** `package version` of each package asked for, when it worked. */
  installed: string[];
  /** How many packages apt installed in all (dependencies included). */
  newlyInstalled?: number;
  /** The end of apt's output, when it failed. */
  failure?: string;
}

const APT_TIMEOUT_MS = 30 * 60_000;

export async function aptInstall(packages: readonly string[], log: (line: string) => void): Promise<AptResult> {
  // CI exports DEBIAN_FRONTEND too; without it a package's questions (samba's) would wait for an answer
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { timeoutMs: APT_TIMEOUT_MS, env };
  const tail = (output: string) => output.trimEnd().split('\n').slice(-30).join('\n');

  log('  apt-get update');
  const update = await run('apt-get', ['update', '-q'], options);
  if (!update.ok) return { ok: false, installed: [], failure: tail(update.output) };

  // Recommends stay on (apt's default): Chromium was tested with them. Wait for a dpkg lock another apt holds.
  log(`  apt-get install -y ${packages.join(' ')}`);
  const install = await run('apt-get', ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...packages], options);
  if (!install.ok) return { ok: false, installed: [], failure: tail(install.output) };
  const newly = /(\d+) newly installed/.exec(install.output)?.[1];

  const query = await run('dpkg-query', ['-W', '-f=${Package} ${Version}\\n', ...packages], options);
  const installed = query.output.trim().split('\n').filter(Boolean);
  return { ok: true, installed, ...(newly ? { newlyInstalled: Number(newly) } : {}) };
}
