/**
 * Group matching. Directory and Cognito group names are compared without regard to case (AD
 * treats them so). A group written in the policy as a distinguished name ("CN=Developers,OU=Groups,
 * DC=corp,DC=example,DC=com") matches only that DN (compared per attribute, ignoring case and spaces
 * around "," and "="); a plain name ("Developers") matches a group of that name and any DN whose
 * first component is CN=Developers.
 */

export function groupMatches(policyGroup: string, personGroups: readonly string[]): boolean {
  const wantedDn = parseDn(policyGroup);
  if (wantedDn) {
    const wanted = wantedDn.join(',');
    return personGroups.some((group) => parseDn(group)?.join(',') === wanted);
  }
  const wanted = fold(policyGroup);
  return personGroups.some((group) => {
    const dn = parseDn(group);
    const name = dn ? commonName(dn) : group;
    return name !== undefined && fold(name) === wanted;
  });
}

function fold(value: string): string {
  return value.trim().toLowerCase();
}

function commonName(dn: readonly string[]): string | undefined {
  const first = dn[0];
  return first?.startsWith('cn=') ? first.slice(3) : undefined;
}

/** Normalised RDNs ("cn=developers", ...), or undefined when the text is not a DN. */
export function parseDn(text: string): string[] | undefined {
  const rdns: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += char + text[index + 1]!;
      index++;
    } else if (char === ',' || char === ';') {
      rdns.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  rdns.push(current);
  const normalised: string[] = [];
  for (const rdn of rdns) {
    const equals = unescapedIndexOf(rdn, '=');
    if (equals <= 0) return undefined;
    const type = rdn.slice(0, equals).trim().toLowerCase();
    if (!/^[a-z][a-z0-9-]*$|^\d+(\.\d+)*$/.test(type)) return undefined;
    normalised.push(`${type}=${unescape(rdn.slice(equals + 1).trim()).toLowerCase()}`);
  }
  return normalised;
}

function unescapedIndexOf(text: string, wanted: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === wanted) return index;
  }
  return -1;
}

function unescape(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, char: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (char ?? ''),
  );
}
