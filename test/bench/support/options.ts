/** What `npm run bench -- NAME --option [value]` hands a benchmark (test/bench/run.ts), and reading it. */
export type BenchOptions = Record<string, string | true>;

/** A whole-number option, e.g. `--accounts 10000`; the default when absent; an error naming it when not a number. */
export function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value === true || !Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number, such as --${name} ${fallback}`);
  return parsed;
}

export function flagOption(options: BenchOptions, name: string): boolean {
  return options[name] !== undefined && options[name] !== 'false';
}
