import { describe, expect, it } from 'vitest';
import { dispositionFor } from './open-disposition.ts';

describe('dispositionFor', () => {
  const keys = { ctrlKey: false, metaKey: false, shiftKey: false };
  it('follows the browser: plain = the setting, Ctrl or Cmd = background tab, Shift = new window', () => {
    expect(dispositionFor(keys)).toBe('default');
    expect(dispositionFor({ ...keys, ctrlKey: true })).toBe('background-tab');
    expect(dispositionFor({ ...keys, metaKey: true })).toBe('background-tab');
    expect(dispositionFor({ ...keys, shiftKey: true })).toBe('new-window');
    expect(dispositionFor({ ...keys, shiftKey: true, ctrlKey: true })).toBe('new-window');
  });
});
