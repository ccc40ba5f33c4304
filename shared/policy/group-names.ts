/**
 * Group matching. Directory and Cognito group names are compared without regard to case (AD
 * treats them so). A group written in the policy as a distinguished name ("CN=Developers,OU=Groups,
 * DC=corp,DC=example,DC=com") matches only that DN; a plain name ("Developers") matches a group of
 * that name and any DN whose first component is CN=Developers.
 *
 * DNs are compared as RFC 4514 values, not as text: attribute types and values ignore case, unescaped
 * spaces around "," "+" and "=" do not count, "\," and "\2C" are the same comma, hex escapes are
 * UTF-8 ("Caf\C3\A9" is "Café"), and the parts of a multi-valued RDN ("CN=Ops+OU=Infra") may come
 * in any order. So `CN=AWS\, Admins,OU=Groups,...` in an assignment matches the same group however
 * the directory escapes it, and the plain name `AWS, Admins` matches it too.
 */

export function groupMatches(policyGroup: string, personGroups: readonly string[]): boolean {
  return groupKeys(personGroups).has(policyGroupKey(policyGroup));
}

/** The person's groups that at least one of `policyGroups` names (what an assignment can match). */
export function groupsNamedBy(policyGroups: readonly string[], personGroups: readonly string[]): string[] {
  const named = new Set(policyGroups.map(policyGroupKey));
  return personGroups.filter((group) => [...groupKeys([group])].some((key) => named.has(key)));
}

/**
 * Matching by keys, so a policy with hundreds of assignments is matched against a person's groups with
 * one set lookup each: a group written as a DN is keyed by its normalised DN alone; a plain name by its
 * folded name, which a person's DN group also carries when its first RDN is a single CN.
 */
export function policyGroupKey(policyGroup: string): string {
  const dn = parseDn(policyGroup);
  return dn ? `dn:${dn.join(',')}` : `name:${fold(policyGroup)}`;
}

/** Every key (policyGroupKey) by which an assignment can name one of these groups. */
export function groupKeys(personGroups: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const group of personGroups) {
    const dn = parseDn(group);
    if (!dn) {
      keys.add(`name:${fold(group)}`);
      continue;
    }
    keys.add(`dn:${dn.join(',')}`);
    const name = commonName(dn);
    if (name !== undefined) keys.add(`name:${fold(name)}`);
  }
  return keys;
}

/**
 * One text per group as an assignment names it: two spellings of the same group (case, DN escapes,
 * spaces) give the same key, so a file that only respells a group changes nobody's access.
 */
export function groupKey(policyGroup: string): string {
  const dn = parseDn(policyGroup);
  return dn ? `dn:${dn.join(',')}` : `name:${fold(policyGroup)}`;
}

function fold(value: string): string {
  return value.trim().toLowerCase();
}

function commonName(dn: readonly string[]): string | undefined {
  const first = dn[0];
  return first?.startsWith('cn=') && !first.includes('+') ? first.slice(3) : undefined;
}

/**
 * Normalised RDNs ("cn=developers", "cn=ops+ou=infra", ...), or undefined when the text is not a DN.
 * Values are unescaped and lower-cased; the parts of a multi-valued RDN are sorted.
 */
export function parseDn(text: string): string[] | undefined {
  const rdns: string[] = [];
  for (const rdn of splitUnescaped(text, [',', ';'])) {
    const parts: string[] = [];
    for (const ava of splitUnescaped(rdn, ['+'])) {
      const equals = unescapedIndexOf(ava, '=');
      if (equals <= 0) return undefined;
      const type = ava.slice(0, equals).trim().toLowerCase();
      if (!/^[a-z][a-z0-9-]*$|^\d+(\.\d+)*$/.test(type)) return undefined;
      const value = unescapeValue(ava.slice(equals + 1));
      if (value === undefined) return undefined;
      parts.push(`${type}=${value.toLowerCase()}`);
    }
    rdns.push(parts.sort().join('+'));
  }
  return rdns;
}

/** Splits at separators that are not escaped with a backslash; the pieces keep their escapes. */
function splitUnescaped(text: string, separators: readonly string[]): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += char + text[index + 1]!;
      index++;
    } else if (separators.includes(char)) {
      pieces.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  pieces.push(current);
  return pieces;
}

function unescapedIndexOf(text: string, wanted: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === wanted) return index;
  }
  return -1;
}

/**
 * An attribute value without its escapes: "\XX" hex pairs are bytes of UTF-8, "\<char>" is the char,
 * unescaped spaces at either end are dropped. Undefined when the hex escapes are not valid UTF-8.
 */
function unescapeValue(raw: string): string | undefined {
  const chars: { text: string; escaped: boolean }[] = [];
  let pendingBytes = '';
  const flush = (): boolean => {
    if (pendingBytes === '') return true;
    try {
      chars.push({ text: decodeURIComponent(pendingBytes), escaped: true });
    } catch {
      return false;
    }
    pendingBytes = '';
    return true;
  };
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    const hex = raw.slice(index + 1, index + 3);
    if (char === '\\' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      pendingBytes += `%${hex}`;
      index += 2;
      continue;
    }
    if (!flush()) return undefined;
    if (char === '\\' && index + 1 < raw.length) {
      chars.push({ text: raw[index + 1]!, escaped: true });
      index++;
    } else {
      chars.push({ text: char, escaped: false });
    }
  }
  if (!flush()) return undefined;
  let start = 0;
  let end = chars.length;
  while (start < end && !chars[start]!.escaped && chars[start]!.text === ' ') start++;
  while (end > start && !chars[end - 1]!.escaped && chars[end - 1]!.text === ' ') end--;
  return chars
    .slice(start, end)
    .map((part) => part.text)
    .join('');
}
