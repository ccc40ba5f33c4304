/** The arithmetic every bench prints its figures with. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

/** Two decimals. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
