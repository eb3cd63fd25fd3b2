import type { ErrorGroup } from './syncErrorReport';
import type { ReportVocabulary } from './reportVocabulary';

/**
 * RFC 4515 escaping, and more: every character outside a small safe set is written as its UTF-8
 * bytes (\c3\a9 for é). The filter then holds no quote of any kind (PowerShell also treats the
 * typographic quotes ‘ ’ as quotes), no $, backtick or parenthesis from the report, so it is safe
 * inside a single-quoted PowerShell string.
 */
export function escapeLdapValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9@._+:=, -]$/.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `\\${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const ADDRESS_PREFIX = /^[a-z0-9]{1,8}:/i;

/** The LDAP terms that find the on-premises objects holding a conflicting value, or the object itself. */
function termsFor(
  error: { attribute?: string; object: string; value?: string },
  vocabulary: ReportVocabulary,
): string[] {
  const term = (attribute: string, value: string) => `(${attribute}=${escapeLdapValue(value)})`;
  const attribute = error.attribute ? vocabulary.attribute(error.attribute) : undefined;
  const value = error.value?.trim();
  if (value && attribute === 'userPrincipalName') return [term('userPrincipalName', value)];
  if (value && attribute === 'proxyAddresses')
    return [term('proxyAddresses', ADDRESS_PREFIX.test(value) ? value : `smtp:${value}`)];
  if (value && attribute === 'mail') return [term('mail', value), term('proxyAddresses', `smtp:${value}`)];
  const object = error.object.trim();
  if (!object) return [];
  if (/^(CN|OU)=/i.test(object))
    return /^CN=\{[0-9a-f-]+\}$/i.test(object) ? [] : [term('distinguishedName', object)];
  if (object.includes('@'))
    return [
      term('userPrincipalName', object),
      term('mail', object),
      term('proxyAddresses', `smtp:${object}`),
    ];
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(object)) return [];
  return [term('displayName', object)];
}

/**
 * One Active Directory PowerShell command that lists every on-premises object holding one of the
 * report's conflicting values (or named by it), with the attributes that matter for the fix.
 */
export function adSearchCommand(groups: ErrorGroup[], vocabulary: ReportVocabulary): string | undefined {
  const terms = new Set<string>();
  for (const group of groups) {
    for (const error of group.errors) for (const t of termsFor(error, vocabulary)) terms.add(t);
  }
  const list = [...terms].slice(0, vocabulary.limits.valuesPerSearch);
  if (list.length === 0) return undefined;
  const filter = list.length === 1 ? list[0] : `(|${list.join('')})`;
  return [
    `Get-ADObject -LDAPFilter '${filter}' -Properties userPrincipalName,mail,proxyAddresses,displayName |`,
    '  Select-Object distinguishedName,objectClass,displayName,userPrincipalName,mail,',
    "    @{ n = 'proxyAddresses'; e = { $_.proxyAddresses -join '; ' } }",
  ].join('\n');
}
