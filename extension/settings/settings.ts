/**
 * Every setting of the extension, by one schema: what the options page edits, what company policy
 * (storage.managed, the manifest's managed_schema) may set and lock, and what the popup and the
 * background read. Values come, in order of precedence, from company policy, the person's own
 * choices, and the build's defaults (the API URL `npm start` baked in).
 */
import { z } from 'zod';

export const OPEN_MODES = ['new-tab', 'background-tab', 'new-window', 'reuse-console-tab'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];

export const SIGN_IN_METHODS = ['auto', 'directory', 'cognito'] as const;

export const CognitoSettingsSchema = z.strictObject({
  /** The user pool's hosted domain, e.g. "https://login.example.com" or "https://x.auth.eu-west-1.amazoncognito.com". */
  domain: z.string().url(),
  clientId: z.string().min(1).max(128),
  scopes: z.array(z.string().min(1)).optional(),
});

export const SettingsSchema = z.strictObject({
  /** Backend base URL without a trailing slash. */
  apiUrl: z.string().url(),
  /** "auto": offer what the backend says it supports. */
  signInMethod: z.enum(SIGN_IN_METHODS),
  cognito: CognitoSettingsSchema.optional(),
  /** Console region when an account names none; unset: the account's first region. */
  defaultRegion: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/)
    .optional(),
  /** How a plain click opens a console; modifier keys still choose per click. */
  openMode: z.enum(OPEN_MODES),
  /** Firefox: one container per account, coloured like the account. */
  firefoxContainers: z.boolean(),
  /**
   * The person uses the AWS console's multi-session mode: consoles of several accounts live side by
   * side, so a click never signs out of the console first (docs/popup.md, "Console sessions").
   */
  consoleMultiSession: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingName = keyof Settings;

export const DEFAULT_SETTINGS: Omit<Settings, 'apiUrl'> = {
  signInMethod: 'auto',
  openMode: 'new-tab',
  firefoxContainers: false,
  consoleMultiSession: false,
};

/** The settings in force, and which of them company policy set (the options page shows those locked). */
export interface ResolvedSettings {
  values: Settings;
  lockedByPolicy: SettingName[];
}

export interface SettingsSource {
  current(): Promise<ResolvedSettings>;
  /** Called with the new settings whenever policy or the person changes one; returns an unsubscribe. */
  onChange(listener: (settings: ResolvedSettings) => void): () => void;
}

/** Until policy and options are read: the build's defaults alone. */
export function buildTimeSettings(apiUrl: string): ResolvedSettings {
  return { values: { ...DEFAULT_SETTINGS, apiUrl }, lockedByPolicy: [] };
}
