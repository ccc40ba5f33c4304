/** The popup's colours, light and dark, keep text at 4.5:1 or more against what it sits on (WCAG AA). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./popup.css', import.meta.url), 'utf8');

function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(([, name, value]) => [name as string, value as string]));
}

const light = variables(css.slice(css.indexOf(':root'), css.indexOf('@media (prefers-color-scheme: dark)')));
const dark = { ...light, ...variables(css.slice(css.indexOf('@media (prefers-color-scheme: dark)'))) };

function luminance(hex: string): number {
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

// [text, background] pairs as the popup draws them.
const PAIRS: [string, string][] = [
  ['fg', 'bg'],
  ['muted', 'bg'],
  ['muted', 'selected'],
  ['fg', 'selected'],
  ['fg', 'pill'],
  ['fg', 'mark'],
  ['accent', 'bg'],
  ['accent', 'selected'],
  ['error', 'bg'],
  ['error', 'error-bg'],
  ['fg', 'warning-bg'],
  ['star', 'bg'],
  ['star', 'selected'],
];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme', (_theme, colours) => {
  it.each(PAIRS)('%s on %s is at least 4.5:1', (text, background) => {
    expect(colours[text], `--${text}`).toMatch(/^#/);
    expect(colours[background], `--${background}`).toMatch(/^#/);
    expect(contrast(colours[text] as string, colours[background] as string)).toBeGreaterThanOrEqual(4.5);
  });
});
