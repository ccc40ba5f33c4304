/**
 * The WebExtension API in the popup, without webextension-polyfill: Firefox has `browser` with
 * promises, and Chrome's `chrome` returns promises in Manifest V3 for every call the popup makes
 * (storage, runtime.sendMessage). The polyfill's types still describe it. Saves ~3 KB gzipped and a
 * proxy around every call on the popup's critical path.
 */
import type browser from 'webextension-polyfill';

type Browser = typeof browser;

export const ext: Browser = (globalThis as unknown as { browser?: Browser }).browser ?? (globalThis as unknown as { chrome: Browser }).chrome;
