/**
 * The options form as plain data: what the fields show for the settings in force, and which changes a
 * submitted form makes to the person's own choices. Settings company policy sets are shown, never saved.
 */
import type { PersonChanges } from '../settings/person-settings.ts';
import type { ConsoleSessionMode, OpenMode, ResolvedSettings, SettingName, Settings } from '../settings/settings.ts';

export interface OptionsDraft {
  apiUrl: string;
  signInMethod: Settings['signInMethod'];
  cognitoDomain: string;
  cognitoClientId: string;
  /** Space- or comma-separated. */
  cognitoScopes: string;
  defaultRegion: string;
  openMode: OpenMode;
  firefoxContainers: boolean;
  consoleSessionMode: ConsoleSessionMode;
  reuseOpenSessions: boolean;
}

export function draftFrom(settings: ResolvedSettings): OptionsDraft {
  const { values } = settings;
  return {
    apiUrl: values.apiUrl ?? '',
    signInMethod: values.signInMethod,
    cognitoDomain: values.cognito?.domain ?? '',
    cognitoClientId: values.cognito?.clientId ?? '',
    cognitoScopes: values.cognito?.scopes?.join(' ') ?? '',
    defaultRegion: values.defaultRegion ?? '',
    openMode: values.openMode,
    firefoxContainers: values.firefoxContainers,
    consoleSessionMode: values.consoleSessionMode,
    reuseOpenSessions: values.reuseOpenSessions,
  };
}

/** Keeps what the person typed for the settings they may change, and shows policy's value for the locked ones. */
export function mergeLocked(draft: OptionsDraft, settings: ResolvedSettings): OptionsDraft {
  const fromSettings = draftFrom(settings);
  const merged = { ...draft };
  const copy = <K extends keyof OptionsDraft>(key: K) => {
    merged[key] = fromSettings[key];
  };
  for (const name of settings.lockedByPolicy) {
    for (const key of FIELDS_OF[name]) copy(key);
  }
  return merged;
}

/** The draft fields that make up each setting. */
export const FIELDS_OF: Record<SettingName, (keyof OptionsDraft)[]> = {
  apiUrl: ['apiUrl'],
  signInMethod: ['signInMethod'],
  cognito: ['cognitoDomain', 'cognitoClientId', 'cognitoScopes'],
  defaultRegion: ['defaultRegion'],
  openMode: ['openMode'],
  firefoxContainers: ['firefoxContainers'],
  consoleSessionMode: ['consoleSessionMode'],
  reuseOpenSessions: ['reuseOpenSessions'],
};

/** The person's choices a submitted form stands for; an emptied field means "back to the default". */
export function changesFrom(draft: OptionsDraft, lockedByPolicy: readonly SettingName[]): PersonChanges {
  const scopes = draft.cognitoScopes.split(/[\s,]+/).filter((scope) => scope !== '');
  const cognitoEmpty = draft.cognitoDomain.trim() === '' && draft.cognitoClientId.trim() === '';
  const all: PersonChanges = {
    apiUrl: blankToUndefined(draft.apiUrl),
    signInMethod: draft.signInMethod,
    cognito: cognitoEmpty
      ? undefined
      : { domain: draft.cognitoDomain.trim(), clientId: draft.cognitoClientId.trim(), ...(scopes.length > 0 ? { scopes } : {}) },
    defaultRegion: blankToUndefined(draft.defaultRegion),
    openMode: draft.openMode,
    firefoxContainers: draft.firefoxContainers,
    consoleSessionMode: draft.consoleSessionMode,
    reuseOpenSessions: draft.reuseOpenSessions,
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => !lockedByPolicy.includes(name as SettingName))) as PersonChanges;
}

function blankToUndefined(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}
