/**
 * The options page: the backend URL, how to sign in, the default region and how consoles open. A setting
 * company policy sets is shown with its value, locked, and labelled as set by policy; the page follows policy
 * and storage changes while it is open. Saving checks every field first and writes nothing if one is wrong.
 */
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import browser from 'webextension-polyfill';
import { savePersonSettings } from '../settings/person-settings.ts';
import { CONSOLE_SESSION_MODES, OPEN_MODES, SIGN_IN_METHODS } from '../settings/settings.ts';
import type { ConsoleSessionMode, OpenMode, SettingName, SettingProblem } from '../settings/settings.ts';
import { PERSON_AREA } from '../settings/browser-source.ts';
import { useSettings } from '../settings/use-settings.ts';
import { changesFrom, draftFrom, mergeLocked } from './form.ts';
import type { OptionsDraft } from './form.ts';

const LABELS: Record<SettingName, string> = {
  apiUrl: 'Backend URL',
  signInMethod: 'Sign-in method',
  cognito: 'Cognito sign-in',
  defaultRegion: 'Default region',
  openMode: 'Open consoles in',
  firefoxContainers: 'Firefox containers',
  consoleSessionMode: 'Console sessions',
  reuseOpenSessions: 'Open console sessions',
};

const SIGN_IN_LABELS: Record<(typeof SIGN_IN_METHODS)[number], string> = {
  auto: 'Automatic (what the backend offers)',
  directory: 'Username and password (company directory)',
  cognito: 'Amazon Cognito (hosted sign-in page)',
};

const OPEN_MODE_LABELS: Record<OpenMode, string> = {
  'new-tab': 'A new tab',
  'background-tab': 'A new tab in the background',
  'new-window': 'A new window',
  'reuse-console-tab': 'The console tab already open, if any',
};

const CONSOLE_SESSION_MODE_LABELS: Record<ConsoleSessionMode, string> = {
  automatic: 'Automatic: as the console tabs seen say',
  'single-session': 'One at a time: sign out of the console first',
  'multi-session': "Side by side: the console's multi-session mode is on",
};

type Errors = { [N in SettingName]?: string };
type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'invalid' } | { kind: 'failed'; message: string };

const IS_FIREFOX = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';

export function OptionsPage() {
  const settings = useSettings();
  const [draft, setDraft] = useState<OptionsDraft | undefined>();
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  // First read fills the form; later changes (policy pushed, another page saving) replace only what policy now locks.
  useEffect(() => {
    if (!settings) return;
    setDraft((current) => (current ? mergeLocked(current, settings) : draftFrom(settings)));
  }, [settings]);

  if (!settings || !draft) return <main class="options" aria-busy="true" />;
  const locked = (name: SettingName) => settings.lockedByPolicy.includes(name);
  const update = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) => {
    setDraft({ ...draft, [key]: value });
    setStatus({ kind: 'idle' });
  };

  async function save(event: Event) {
    event.preventDefault();
    if (!draft || !settings) return;
    setStatus({ kind: 'saving' });
    try {
      const result = await savePersonSettings(browser.storage[PERSON_AREA], changesFrom(draft, settings.lockedByPolicy), settings.lockedByPolicy);
      setErrors(result.ok ? {} : result.errors);
      setStatus(result.ok ? { kind: 'saved' } : { kind: 'invalid' });
    } catch (error) {
      setStatus({ kind: 'failed', message: `Saving failed (${error instanceof Error ? error.name : 'unknown error'}). Please try again.` });
    }
  }

  return (
    <main class="options">
      <h1>Switchyard options</h1>
      {!settings.values.apiUrl && (
        <p class="message warning" role="alert">
          Switchyard does not know your company's backend yet. Enter the backend URL your administrator gave you.
        </p>
      )}
      {settings.lockedByPolicy.length > 0 && (
        <p class="message info">Settings marked "Set by your company's policy" are managed by your organization and cannot be changed here.</p>
      )}
      <Problems problems={settings.problems} />
      <form onSubmit={(event) => void save(event)} noValidate>
        <Field name="apiUrl" label={LABELS.apiUrl} locked={locked('apiUrl')} error={errors.apiUrl} hint="For example https://switchyard.example.com">
          <input
            id="apiUrl"
            type="url"
            inputMode="url"
            spellcheck={false}
            autocomplete="off"
            placeholder="https://switchyard.example.com"
            value={draft.apiUrl}
            disabled={locked('apiUrl')}
            {...describedBy('apiUrl', locked('apiUrl'), errors.apiUrl)}
            onInput={(event) => update('apiUrl', event.currentTarget.value)}
          />
        </Field>

        <Field name="signInMethod" label={LABELS.signInMethod} locked={locked('signInMethod')} error={errors.signInMethod}>
          <select
            id="signInMethod"
            value={draft.signInMethod}
            disabled={locked('signInMethod')}
            {...describedBy('signInMethod', locked('signInMethod'), errors.signInMethod)}
            onChange={(event) => update('signInMethod', event.currentTarget.value as OptionsDraft['signInMethod'])}
          >
            {SIGN_IN_METHODS.map((method) => (
              <option key={method} value={method}>
                {SIGN_IN_LABELS[method]}
              </option>
            ))}
          </select>
        </Field>

        {(draft.signInMethod !== 'directory' || draft.cognitoDomain || draft.cognitoClientId) && (
          <fieldset class="group" aria-describedby={locked('cognito') ? 'cognito-locked' : errors.cognito ? 'cognito-error' : undefined}>
            <legend>{LABELS.cognito}</legend>
            <Field name="cognitoDomain" label="Cognito domain" hint="For example https://login.example.com">
              <input
                id="cognitoDomain"
                type="url"
                spellcheck={false}
                value={draft.cognitoDomain}
                disabled={locked('cognito')}
                onInput={(event) => update('cognitoDomain', event.currentTarget.value)}
              />
            </Field>
            <Field name="cognitoClientId" label="App client ID">
              <input
                id="cognitoClientId"
                spellcheck={false}
                value={draft.cognitoClientId}
                disabled={locked('cognito')}
                onInput={(event) => update('cognitoClientId', event.currentTarget.value)}
              />
            </Field>
            <Field name="cognitoScopes" label="Scopes" hint="Separated by spaces; empty: openid email profile">
              <input
                id="cognitoScopes"
                spellcheck={false}
                value={draft.cognitoScopes}
                disabled={locked('cognito')}
                onInput={(event) => update('cognitoScopes', event.currentTarget.value)}
              />
            </Field>
            <FieldNotes name="cognito" locked={locked('cognito')} error={errors.cognito} />
          </fieldset>
        )}

        <Field
          name="defaultRegion"
          label={LABELS.defaultRegion}
          locked={locked('defaultRegion')}
          error={errors.defaultRegion}
          hint="For example eu-west-1; empty: each account's first region"
        >
          <input
            id="defaultRegion"
            spellcheck={false}
            placeholder="the account's first region"
            value={draft.defaultRegion}
            disabled={locked('defaultRegion')}
            {...describedBy('defaultRegion', locked('defaultRegion'), errors.defaultRegion)}
            onInput={(event) => update('defaultRegion', event.currentTarget.value)}
          />
        </Field>

        <Field name="openMode" label={LABELS.openMode} locked={locked('openMode')} error={errors.openMode}>
          <select
            id="openMode"
            value={draft.openMode}
            disabled={locked('openMode')}
            {...describedBy('openMode', locked('openMode'), errors.openMode)}
            onChange={(event) => update('openMode', event.currentTarget.value as OpenMode)}
          >
            {OPEN_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {OPEN_MODE_LABELS[mode]}
              </option>
            ))}
          </select>
        </Field>

        {IS_FIREFOX && (
          <div class="field checkbox">
            <input
              id="firefoxContainers"
              type="checkbox"
              checked={draft.firefoxContainers}
              disabled={locked('firefoxContainers')}
              {...describedBy('firefoxContainers', locked('firefoxContainers'), errors.firefoxContainers)}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                update('firefoxContainers', checked);
                // Containers need the cookies permission; asked here, while the click counts as the person's gesture.
                if (checked) void browser.permissions.request({ permissions: ['cookies'] });
              }}
            />
            <label for="firefoxContainers">Open each account in its own container</label>
            <FieldNotes name="firefoxContainers" locked={locked('firefoxContainers')} error={errors.firefoxContainers} />
          </div>
        )}

        <Field name="consoleSessionMode" label={LABELS.consoleSessionMode} locked={locked('consoleSessionMode')} error={errors.consoleSessionMode}>
          <select
            id="consoleSessionMode"
            value={draft.consoleSessionMode}
            disabled={locked('consoleSessionMode')}
            {...describedBy('consoleSessionMode', locked('consoleSessionMode'), errors.consoleSessionMode)}
            onChange={(event) => update('consoleSessionMode', event.currentTarget.value as ConsoleSessionMode)}
          >
            {CONSOLE_SESSION_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {CONSOLE_SESSION_MODE_LABELS[mode]}
              </option>
            ))}
          </select>
        </Field>

        <div class="field checkbox">
          <input
            id="reuseOpenSessions"
            type="checkbox"
            checked={draft.reuseOpenSessions}
            disabled={locked('reuseOpenSessions')}
            {...describedBy('reuseOpenSessions', locked('reuseOpenSessions'), errors.reuseOpenSessions)}
            onChange={(event) => update('reuseOpenSessions', event.currentTarget.checked)}
          />
          <label for="reuseOpenSessions">Go to an account's open console session instead of signing in again</label>
          <FieldNotes name="reuseOpenSessions" locked={locked('reuseOpenSessions')} error={errors.reuseOpenSessions} />
        </div>

        <div class="actions">
          <button type="submit" class="primary" aria-disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Saving…' : 'Save'}
          </button>
          <p class="save-status" role="status">
            {status.kind === 'saved' && 'Saved.'}
            {status.kind === 'invalid' && 'Nothing was saved: please correct the fields marked above.'}
            {status.kind === 'failed' && status.message}
          </p>
        </div>
      </form>
    </main>
  );
}

function describedBy(name: string, locked: boolean, error: string | undefined): { 'aria-describedby'?: string; 'aria-invalid'?: boolean } {
  const ids = [locked ? `${name}-locked` : undefined, error ? `${name}-error` : undefined].filter(Boolean);
  return { ...(ids.length > 0 ? { 'aria-describedby': ids.join(' ') } : {}), ...(error ? { 'aria-invalid': true } : {}) };
}

interface FieldProps {
  name: string;
  label: string;
  locked?: boolean;
  error?: string | undefined;
  hint?: string;
  children: JSX.Element;
}

function Field({ name, label, locked = false, error, hint, children }: FieldProps) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      {children}
      {hint && !locked && <p class="hint">{hint}</p>}
      <FieldNotes name={name} locked={locked} error={error} />
    </div>
  );
}

function FieldNotes({ name, locked, error }: { name: string; locked: boolean; error?: string | undefined }) {
  return (
    <>
      {locked && (
        <p id={`${name}-locked`} class="locked">
          Set by your company's policy.
        </p>
      )}
      {error && (
        <p id={`${name}-error`} class="message error">
          {capitalise(error)}
        </p>
      )}
    </>
  );
}

function Problems({ problems }: { problems: SettingProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul class="message error problems" role="alert">
      {problems.map((problem) => (
        <li key={`${problem.source}:${problem.setting}`}>
          {problem.source === 'policy'
            ? `Your company's policy sets "${labelOf(problem.setting)}" to a value Switchyard cannot use, so it is ignored: ${problem.message}. Please tell your administrator.`
            : `Your saved "${labelOf(problem.setting)}" is not valid and is ignored: ${problem.message}.`}
        </li>
      ))}
    </ul>
  );
}

function labelOf(setting: string): string {
  return (LABELS as Record<string, string>)[setting] ?? setting;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
