/**
 * The README's "What `npm test` needs" table, generated from ./parts.ts so the two cannot drift:
 * `npm run prereqs:readme` rewrites the block between the markers; readme.test.ts fails while they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NEED_COMMAND } from './check.ts';
import type { Fix, Part } from './parts.ts';
import { PARTS } from './parts.ts';

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));
export const BEGIN = '<!-- prerequisites table: generated from scripts/prerequisites/parts.ts by `npm run prereqs:readme` -->';
export const END = '<!-- end of prerequisites table -->';

const code = (text: string) => `\`${text}\``;

function fixCell(fix: Fix | undefined, root: 'root' | 'sudo'): string {
  if (!fix) return 'as on Debian';
  if ('apt' in fix) return fix.apt.map(code).join(' ');
  if ('unavailable' in fix) return fix.unavailable.replace(/\|/g, '\\|');
  const sudo =
    fix.root && root === 'sudo'
      ? fix.command
          .split(' && ')
          .map((step) => `sudo ${step}`)
          .join(' && ')
      : fix.command;
  let cell = code(sudo);
  if (fix.then) cell += `, then ${code(fix.then)}`;
  if (fix.note) cell += ` (${fix.note})`;
  return cell;
}

function testedCell(part: Part): string {
  return part.minimum ? `${part.tested} (needs ${part.minimum}+)` : part.tested;
}

export function renderTable(parts: readonly Part[] = PARTS): string {
  const rows = [
    '| part | for | needed by | tested with | Debian 12 (apt packages; `npm test` installs them as root) | Ubuntu | macOS (Homebrew) |',
    '|---|---|---|---|---|---|---|',
    ...parts
      .map((part) =>
        [
          part.name,
          part.purpose,
          [...part.neededBy.map((need) => code(NEED_COMMAND[need])), ...part.suites.filter((suite) => !suite.startsWith('npm ')).map(code)].join(
            ', ',
          ),
          testedCell(part),
          fixCell(part.install.debian, 'root'),
          fixCell(part.install.ubuntu, 'sudo'),
          fixCell(part.install.macos, 'sudo'),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  return rows.join('\n');
}

/** The README with its marked block replaced by `table`; throws when the markers are missing. */
export function withTable(readme: string, table: string = renderTable()): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the markers ${BEGIN} ... ${END}`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(README_PATH, 'utf8');
  const updated = withTable(readme);
  if (updated === readme) {
    console.log('README.md: the prerequisites table is up to date.');
  } else {
    writeFileSync(README_PATH, updated);
    console.log('README.md: rewrote the prerequisites table from scripts/prerequisites/parts.ts.');
  }
}
