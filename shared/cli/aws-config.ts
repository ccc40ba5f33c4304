/**
 * `switchyard configure`'s edit of the AWS CLI's config file (~/.aws/config): it owns one marked block,
 * rewrites that block whole, and never changes a line outside it. Before writing it reads the whole file
 * as botocore does (Python's configparser, strict): a line it could not read, or a section defined
 * twice, is a problem named by its line, and so is a profile outside the block with a name the block
 * would write; then nothing is written (botocore would refuse the file, or the two profiles would
 * fight). Pure: the caller reads and writes the file.
 */

export const BLOCK_BEGIN = '# >>> switchyard: profiles written by `switchyard configure`; lines inside this block are replaced >>>';
export const BLOCK_END = '# <<< switchyard <<<';

export interface AwsProfile {
  /** The name after `[profile `. */
  name: string;
  /** Settings in order, e.g. [["credential_process", "..."], ["region", "eu-west-1"]]. */
  settings: readonly (readonly [string, string])[];
}

export interface ConfigProblem {
  /** 1-based. */
  line: number;
  message: string;
}

export interface ConfigPlan {
  /** The whole file as it would be written. */
  text: string;
  /** False when the file would stay byte for byte as it is. */
  changed: boolean;
  added: string[];
  removed: string[];
  updated: string[];
  unchanged: string[];
}

interface Section {
  /** Section header as written inside the brackets, trimmed. */
  header: string;
  line: number;
  inBlock: boolean;
  /** The settings' text, to tell an updated profile from one left as it was. */
  body: string[];
}

interface ReadFile {
  lines: string[];
  /** Index of BLOCK_BEGIN and BLOCK_END lines (0-based), when the file has the block. */
  block?: { begin: number; end: number };
  sections: Section[];
}

/** The profile name a section header names (`profile x` -> x, `default` -> default); undefined for other sections. */
export function profileNameOf(header: string): string | undefined {
  if (header === 'default') return 'default';
  const match = /^profile\s+(.+)$/.exec(header);
  return match?.[1]?.trim();
}

/** The block of `profiles` (and `notes` as comment lines) in `current`: replaced where it is, else appended. */
export function planAwsConfig(
  current: string,
  profiles: readonly AwsProfile[],
  notes: readonly string[] = [],
): { ok: true; plan: ConfigPlan } | { ok: false; problems: ConfigProblem[] } {
  const read = readConfig(current);
  if (!read.ok) return read;
  const { lines, block, sections } = read.file;
  const problems: ConfigProblem[] = [];

  const outside = new Map<string, Section>();
  for (const section of sections) {
    if (section.inBlock) continue;
    const name = profileNameOf(section.header);
    if (name !== undefined) outside.set(name, section);
  }
  const written = new Set<string>();
  for (const profile of profiles) {
    const invalid = invalidProfileName(profile.name);
    if (invalid) return { ok: false, problems: [{ line: 0, message: `profile name "${profile.name}" ${invalid}` }] };
    if (written.has(profile.name)) {
      return {
        ok: false,
        problems: [{ line: 0, message: `two entitlements would both be [profile ${profile.name}]: choose a --profile-name with <account-id>` }],
      };
    }
    written.add(profile.name);
    const clash = outside.get(profile.name);
    if (clash) {
      problems.push({
        line: clash.line,
        message: `[profile ${profile.name}] is defined outside the block switchyard configure owns; rename or remove it, or choose other names with --profile-name`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const blockLines = renderBlock(profiles, notes);
  const before = block ? lines.slice(0, block.begin) : trimTrailingBlank(lines);
  const after = block ? lines.slice(block.end + 1) : [];
  const separator = !block && before.length > 0 ? [''] : [];
  const next = [...before, ...separator, ...blockLines, ...after];
  const text = `${next.join('\n')}\n`;

  const previous = new Map(sections.filter((section) => section.inBlock).map((section) => [profileNameOf(section.header), section.body.join('\n')]));
  const fresh = new Map(profiles.map((profile) => [profile.name, profile.settings.map(([key, value]) => `${key} = ${value}`).join('\n')]));
  const names = (filter: (name: string) => boolean, from: Iterable<string>) => [...from].filter(filter);
  return {
    ok: true,
    plan: {
      text,
      changed: text !== current,
      added: names((name) => !previous.has(name), fresh.keys()),
      removed: names(
        (name) => !fresh.has(name),
        [...previous.keys()].filter((name): name is string => name !== undefined),
      ),
      updated: names((name) => previous.has(name) && previous.get(name) !== fresh.get(name), fresh.keys()),
      unchanged: names((name) => previous.get(name) === fresh.get(name), fresh.keys()),
    },
  };
}

/** The block's lines, markers included. */
export function renderBlock(profiles: readonly AwsProfile[], notes: readonly string[] = []): string[] {
  const lines = [BLOCK_BEGIN, '# Run `switchyard configure` again to update them; profiles of entitlements that are gone are removed.'];
  for (const profile of profiles) {
    lines.push('', `[profile ${profile.name}]`, ...profile.settings.map(([key, value]) => `${key} = ${value}`));
  }
  if (notes.length > 0) lines.push('', ...notes.map((note) => `# ${note.replace(/[\r\n]+/g, ' ')}`));
  lines.push(BLOCK_END);
  return lines;
}

/** Why a name cannot be a profile name in the file, or undefined when it can. */
function invalidProfileName(name: string): string | undefined {
  if (name.trim() !== name || name.length === 0) return 'is empty or starts or ends with white space';
  if (/[\]\r\n[]/.test(name)) return 'contains [, ] or a line break';
  if (/^[#;]/.test(name)) return 'starts with a comment character';
  return undefined;
}

function readConfig(text: string): { ok: true; file: ReadFile } | { ok: false; problems: ConfigProblem[] } {
  const lines = text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const problems: ConfigProblem[] = [];
  const sections: Section[] = [];
  const seen = new Map<string, number>();
  let begin: number | undefined;
  let end: number | undefined;
  let current: Section | undefined;
  let lastOption: { indent: number } | undefined;
  const options = new Map<string, number>();

  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === BLOCK_BEGIN) {
      if (begin !== undefined) problems.push({ line, message: `a second "${BLOCK_BEGIN.slice(0, 13)}..." line: keep one switchyard block` });
      else begin = index;
      return;
    }
    if (trimmed === BLOCK_END) {
      if (begin === undefined || end !== undefined) problems.push({ line, message: 'a switchyard block end without its beginning' });
      else end = index;
      // A setting right after the block would belong to the block's last profile, which is rewritten.
      current = undefined;
      lastOption = undefined;
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (begin !== undefined && end === undefined) {
      // Inside the block, which is rewritten whole: only which profiles it held matters.
      const header = /^\[(.+)\]/.exec(trimmed)?.[1]?.trim();
      if (header !== undefined) {
        current = { header, line, inBlock: true, body: [] };
        sections.push(current);
      } else if (current?.inBlock) current.body.push(trimmed.replace(/\s*([=:])\s*/, ' $1 '));
      lastOption = undefined;
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (indent > 0 && lastOption && indent > lastOption.indent) {
      current?.body.push(trimmed);
      return; // a continuation of the value above (botocore reads nested settings this way)
    }
    if (indent === 0 && trimmed.startsWith('[')) {
      const header = /^\[(.+)\]/.exec(trimmed)?.[1]?.trim();
      if (header === undefined) {
        problems.push({ line, message: 'a section header without its closing ]' });
        return;
      }
      const first = seen.get(header);
      if (first !== undefined)
        problems.push({ line, message: `[${header}] appears again (first at line ${first}); the AWS CLI refuses such a file` });
      seen.set(header, line);
      current = { header, line, inBlock: false, body: [] };
      sections.push(current);
      lastOption = undefined;
      options.clear();
      return;
    }
    const option = /^([^=:]*?)\s*[=:]/.exec(trimmed);
    if (!option) {
      problems.push({ line, message: 'neither a [section], a "key = value" setting nor a comment' });
      return;
    }
    if (!current) {
      problems.push({ line, message: 'a setting outside any [section] (before the first, or right after the switchyard block)' });
      return;
    }
    const key = (option[1] ?? '').toLowerCase();
    const firstOption = options.get(key);
    if (firstOption !== undefined) problems.push({ line, message: `${key} is set twice in [${current.header}] (first at line ${firstOption})` });
    options.set(key, line);
    current.body.push(trimmed.replace(/\s*([=:])\s*/, ' $1 '));
    lastOption = { indent };
  });
  if (begin !== undefined && end === undefined) problems.push({ line: begin + 1, message: 'the switchyard block has no end line' });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, file: { lines, ...(begin !== undefined && end !== undefined ? { block: { begin, end } } : {}), sections } };
}

function trimTrailingBlank(lines: string[]): string[] {
  let last = lines.length;
  while (last > 0 && lines[last - 1]?.trim() === '') last--;
  return lines.slice(0, last);
}
