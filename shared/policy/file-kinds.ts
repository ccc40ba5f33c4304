/**
 * Which part of the policy a file is, decided by where it sits — the layout an admin sees in the
 * bucket is the whole story:
 *
 *   settings.yaml              settings (at most one)
 *   accounts.yaml, accounts/*  account inventory
 *   permission-sets/*          one permission set per file, named after the file
 *   assignments.yaml, assignments/*
 *   eligibility.yaml, eligibility/*   pairs people may ask for, for a while, with approval
 *   policies/*.json            policy documents referenced by permission sets
 *
 * Files or folders whose name starts with "." or "_" (reports, locks, editor files) and *.md / *.txt
 * are ignored; anything else is reported as a warning so a misspelt folder does not go unnoticed.
 */

export type FileKind = 'settings' | 'accounts' | 'permission-set' | 'assignments' | 'eligibility' | 'policy-document' | 'ignored' | 'unknown';

export const DATA_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** File name without folder and extension: "permission-sets/ReadOnly.yaml" -> "ReadOnly". */
export function stemOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function isDataFile(path: string): boolean {
  return (DATA_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

export function classifyFile(path: string): FileKind {
  const segments = path.split('/');
  if (segments.some((segment) => segment.startsWith('.') || segment.startsWith('_'))) return 'ignored';
  const extension = extensionOf(path);
  if (extension === '.md' || extension === '.txt') return 'ignored';
  const [top, ...rest] = segments;
  if (rest.length === 0) {
    if (!isDataFile(path)) return 'unknown';
    const stem = stemOf(path);
    if (stem === 'settings') return 'settings';
    if (stem === 'accounts') return 'accounts';
    if (stem === 'assignments') return 'assignments';
    if (stem === 'eligibility') return 'eligibility';
    return 'unknown';
  }
  if (top === 'policies') return 'policy-document';
  if (!isDataFile(path)) return 'unknown';
  if (top === 'accounts') return 'accounts';
  if (top === 'permission-sets') return 'permission-set';
  if (top === 'assignments') return 'assignments';
  if (top === 'eligibility') return 'eligibility';
  return 'unknown';
}
