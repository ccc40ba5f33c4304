/**
 * Test helper: the Python interpreter moto_server runs on, which has boto3 (moto depends on it): read from
 * moto_server's shebang, through a pyenv shim when PATH has one. Falls back to python3.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';

export function pythonBesideMoto(): string {
  try {
    let script = realpathSync(execFileSync('which', ['moto_server'], { encoding: 'utf8' }).trim());
    if (!shebangOf(script).includes('python')) script = realpathSync(execFileSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8' }).trim());
    const shebang = shebangOf(script);
    if (shebang.includes('python')) return shebang.split(/\s+/)[0] ?? 'python3';
  } catch {
    // No moto_server on PATH, or no pyenv behind its shim: the suite's prerequisites check says so.
  }
  return 'python3';
}

function shebangOf(file: string): string {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  return first.startsWith('#!') ? first.slice(2).trim() : '';
}
