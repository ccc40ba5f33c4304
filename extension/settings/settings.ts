/**
 * Every setting of the extension, by one schema: what the options page edits, what company policy
 * (storage.managed, the manifest's managed_schema, generated from this file) may set and lock, and what the
 * popup and the background read. Values come, in order of precedence, from company policy, the person's own
 * choices, and the build's defaults (resolve.ts). A production build may ship without a backend URL: then
 * policy or the options page must set it, and until then the extension says so instead of signing in.
 */
import { z } from 'zod';
import { checkBackendUrl } from '../../shared/backend-url.ts';
import { AWS_REGION_NAME } from '../../shared/console/partitions.ts';

export const OPEN_MODES = ['new-tab', 'background-tab', 'new-window', 'reuse-console-tab'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];

export const SIGN_IN_METHODS = ['auto', 'directory', 'cognito'] as const;

/** https://, or http:// to loopback only; stored without a trailing slash. */
function secureUrl(what: string) {
  return z
    .string()
    .superRefine((value, context) => {
      const checked = checkBackendUrl(value);
      if (!checked.ok) context.addIssue({ code: 'custom', message: `${what} ${checked.reason}` });
    })
    .transform((value) => {
      const checked = checkBackendUrl(value);
      return checked.ok ? checked.url : value;
    });
}

export const ApiUrlSchema = secureUrl('the backend URL').meta({
  title: 'Backend URL',
  description:
    "The Switchyard API's base URL, e.g. https://switchyard.example.com. Must be https://, except http:// to localhost / 127.0.0.1 / [::1].",
});

export const CognitoSettingsSchema = z
  .strictObject({
    /** The user pool's hosted domain, e.g. "https://login.example.com" or "https://x.auth.eu-west-1.amazoncognito.com". */
    domain: secureUrl('the Cognito domain').meta({
      description: "The user pool's hosted sign-in domain, e.g. https://login.example.com or https://NAME.auth.REGION.amazoncognito.com.",
    }),
    clientId: z.string().min(1).max(128).meta({ description: "The user pool app client's ID (a public client, no secret)." }),
    scopes: z.array(z.string().min(1)).optional().meta({ description: 'OAuth scopes to ask for; unset: openid, email and profile.' }),
  })
  .meta({ title: 'Cognito', description: 'For sign-in with Amazon Cognito: the hosted domain and the app client.' });

export const SignInMethodSchema = z.enum(SIGN_IN_METHODS).meta({
  title: 'Sign-in method',
  description: '"auto": what the backend offers; "directory": username and password; "cognito": Amazon Cognito hosted sign-in.',
});

export const DefaultRegionSchema = z
  .string()
  .regex(AWS_REGION_NAME, 'the default region must be an AWS region code such as eu-west-1')
  .meta({ title: 'Default region', description: "Console region when an account names none, e.g. eu-west-1; unset: the account's first region." });

export const OpenModeSchema = z.enum(OPEN_MODES).meta({
  title: 'How consoles open',
  description: 'How a plain click opens a console: new-tab, background-tab, new-window or reuse-console-tab. Modifier keys still choose per click.',
});

export const FirefoxContainersSchema = z
  .boolean()
  .meta({ title: 'Firefox containers', description: 'Firefox only: open each account in its own container, coloured like the account.' });

export const CONSOLE_SESSION_MODES = ['automatic', 'single-session', 'multi-session'] as const;
export type ConsoleSessionMode = (typeof CONSOLE_SESSION_MODES)[number];

export const ConsoleSessionModeSchema = z.enum(CONSOLE_SESSION_MODES).meta({
  title: 'Console sessions',
  description:
    '"single-session": sign out of the console before each sign-in; "multi-session": the AWS console\'s multi-session mode is on, consoles open side by side and nothing signs out; "automatic": as the console tabs the extension sees say (single-session until it has seen a multi-session console).',
});

export const ReuseOpenSessionsSchema = z.boolean().meta({
  title: 'Reuse open console sessions',
  description:
    'A click on an account and role whose console is already signed in goes to that console tab (or a new tab of that session) instead of signing in again.',
});

/** One schema per setting, so one bad value (from policy or from storage) is refused alone, not with its neighbours. */
export const SETTING_SCHEMAS = {
  apiUrl: ApiUrlSchema,
  signInMethod: SignInMethodSchema,
  cognito: CognitoSettingsSchema,
  defaultRegion: DefaultRegionSchema,
  openMode: OpenModeSchema,
  firefoxContainers: FirefoxContainersSchema,
  consoleSessionMode: ConsoleSessionModeSchema,
  reuseOpenSessions: ReuseOpenSessionsSchema,
} as const;

export const SettingsSchema = z.strictObject({
  /** Backend base URL without a trailing slash. Unset: nobody has said yet where the backend is. */
  apiUrl: ApiUrlSchema.optional(),
  /** "auto": offer what the backend says it supports. */
  signInMethod: SignInMethodSchema,
  cognito: CognitoSettingsSchema.optional(),
  /** Console region when an account names none; unset: the account's first region. */
  defaultRegion: DefaultRegionSchema.optional(),
  /** How a plain click opens a console; modifier keys still choose per click. */
  openMode: OpenModeSchema,
  /** Firefox: one container per account, coloured like the account. */
  firefoxContainers: FirefoxContainersSchema,
  /**
   * Whether the AWS console's multi-session mode is on (consoles of several accounts side by side, so a
   * click never signs out of the console first), off, or to be read from the console tabs seen
   * (docs/popup.md, "Console sessions").
   */
  consoleSessionMode: ConsoleSessionModeSchema,
  /** A click on a pair whose console is signed in goes to that session instead of signing in again. */
  reuseOpenSessions: ReuseOpenSessionsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingName = keyof Settings;
export const SETTING_NAMES = Object.keys(SETTING_SCHEMAS) as SettingName[];

/**
 * Settings an earlier version read, still honoured where the current one is unset: `consoleMultiSession`
 * (a boolean) became `consoleSessionMode` (true: "multi-session", false: "single-session"). Read from the
 * person's storage and from policy; saving the options page replaces it.
 */
export const LEGACY_SETTING_NAMES = ['consoleMultiSession'] as const;

export function withLegacySettings(layer: Record<string, unknown>): Record<string, unknown> {
  const { consoleMultiSession, ...current } = layer;
  if (current.consoleSessionMode !== undefined || typeof consoleMultiSession !== 'boolean') return current;
  return { ...current, consoleSessionMode: consoleMultiSession ? 'multi-session' : 'single-session' };
}

export function isSettingName(name: string): name is SettingName {
  return (SETTING_NAMES as string[]).includes(name);
}

export const DEFAULT_SETTINGS: Omit<Settings, 'apiUrl'> = {
  signInMethod: 'auto',
  openMode: 'new-tab',
  firefoxContainers: false,
  consoleSessionMode: 'automatic',
  reuseOpenSessions: true,
};

/** A value that was set but refused: shown on the options page, never applied. The message quotes no value. */
export interface SettingProblem {
  setting: string;
  source: 'policy' | 'person';
  message: string;
}

/** The settings in force, and which of them company policy set (the options page shows those locked). */
export interface ResolvedSettings {
  values: Settings;
  lockedByPolicy: SettingName[];
  /** Values policy or the person set that are not valid, so are ignored. */
  problems: SettingProblem[];
}

export interface SettingsSource {
  current(): Promise<ResolvedSettings>;
  /** Called with the new settings whenever policy or the person changes one; returns an unsubscribe. */
  onChange(listener: (settings: ResolvedSettings) => void): () => void;
}

/** Until policy and options are read: the build's defaults alone. */
export function buildTimeSettings(apiUrl?: string): ResolvedSettings {
  return { values: { ...DEFAULT_SETTINGS, ...(apiUrl ? { apiUrl } : {}) }, lockedByPolicy: [], problems: [] };
}
