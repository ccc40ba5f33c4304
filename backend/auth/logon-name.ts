/**
 * What people type as their user name, checked against the domain the deployment belongs to:
 * "alice", "alice@corp.example.com" (a UPN with one of the configured suffixes) or "CORP\alice"
 * (down-level, with the configured NetBIOS domain). Any other suffix or domain is refused, so
 * "alice@evil.example.com" and "EVIL\alice" are nobody.
 */

export interface LogonNameRules {
  /** UPN suffixes this deployment accepts, the domain's DNS name first ("corp.example.com"). */
  upnSuffixes: readonly string[];
  /** NetBIOS domain name ("CORP"); without it, down-level names are refused. */
  netbiosDomain?: string;
}

export interface LogonName {
  /** The name without domain, as typed (case kept: directories compare it without regard to case). */
  name: string;
  /** Lower-case `name`: the key for counting failures and for the embedded directory. */
  key: string;
  form: 'bare' | 'upn' | 'down-level';
  /** The UPN suffix typed, lower case; the first configured suffix for bare and down-level names. */
  suffix: string;
}

/** The parsed name, or undefined when it names another domain or is not a name at all. */
export function parseLogonName(typed: string, rules: LogonNameRules): LogonName | undefined {
  const text = typed.trim();
  const primarySuffix = rules.upnSuffixes[0]?.toLowerCase();
  if (!primarySuffix) return undefined;
  const backslash = text.indexOf('\\');
  if (backslash >= 0) {
    const domain = text.slice(0, backslash);
    const name = text.slice(backslash + 1);
    if (!rules.netbiosDomain || domain.toLowerCase() !== rules.netbiosDomain.toLowerCase()) return undefined;
    return plainName(name) ? { name, key: name.toLowerCase(), form: 'down-level', suffix: primarySuffix } : undefined;
  }
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    const name = text.slice(0, at);
    const suffix = text.slice(at + 1).toLowerCase();
    if (!rules.upnSuffixes.some((allowed) => allowed.toLowerCase() === suffix)) return undefined;
    return plainName(name) ? { name, key: name.toLowerCase(), form: 'upn', suffix } : undefined;
  }
  return plainName(text) ? { name: text, key: text.toLowerCase(), form: 'bare', suffix: primarySuffix } : undefined;
}

/**
 * A name with no domain part left in it, no surrounding spaces and no control characters: AD ends a
 * bind name at a NUL, so "alice\u0000anything" would bind as alice.
 */
function plainName(name: string): boolean {
  return name.length > 0 && name.trim() === name && !name.includes('\\') && !name.includes('@') && !hasControlCharacter(name);
}

export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** The UPN for a logon name: the typed one, or `name@<the domain's DNS name>`. */
export function upnOf(logon: LogonName): string {
  return `${logon.name}@${logon.suffix}`;
}
