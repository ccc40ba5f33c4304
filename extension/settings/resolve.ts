/**
 * Which value of each setting is in force: company policy (storage.managed) over the person's own choice
 * (storage.sync) over the build's default. Each value is checked on its own; one that fails its schema is
 * ignored and reported, so a typo in a policy file cannot take the other settings down with it.
 */
import { DEFAULT_SETTINGS, SETTING_NAMES, SETTING_SCHEMAS, withLegacySettings } from './settings.ts';
import type { ResolvedSettings, SettingName, SettingProblem, Settings } from './settings.ts';

export interface SettingsLayers {
  /** storage.managed: what company policy set. */
  policy: Record<string, unknown>;
  /** storage.sync: what the person chose on the options page. */
  person: Record<string, unknown>;
  /** The build's defaults (the backend URL only when the build was given one). */
  defaults: Partial<Settings>;
}

export type ParsedSetting<N extends SettingName> = { ok: true; value: Settings[N] } | { ok: false; message: string };

/** Checks one setting's value against its schema; the message names the rule, never the value. */
export function parseSetting<N extends SettingName>(name: N, value: unknown): ParsedSetting<N> {
  const result = SETTING_SCHEMAS[name].safeParse(value);
  if (result.success) return { ok: true, value: result.data as Settings[N] };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  return { ok: false, message: `${issue?.message ?? 'not a valid value'}${where}` };
}

export function resolveSettings(given: SettingsLayers): ResolvedSettings {
  const layers = { ...given, policy: withLegacySettings(given.policy), person: withLegacySettings(given.person) };
  const values: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...withoutUndefined(layers.defaults) };
  const lockedByPolicy: SettingName[] = [];
  const problems: SettingProblem[] = [];
  for (const name of SETTING_NAMES) {
    if (layers.policy[name] !== undefined) {
      const parsed = parseSetting(name, layers.policy[name]);
      if (parsed.ok) {
        values[name] = parsed.value;
        lockedByPolicy.push(name);
        continue;
      }
      problems.push({ setting: name, source: 'policy', message: parsed.message });
    }
    if (layers.person[name] !== undefined) {
      const parsed = parseSetting(name, layers.person[name]);
      if (parsed.ok) values[name] = parsed.value;
      else problems.push({ setting: name, source: 'person', message: parsed.message });
    }
  }
  return { values: values as Settings, lockedByPolicy, problems };
}

function withoutUndefined(partial: Partial<Settings>): Partial<Settings> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<Settings>;
}
