/**
 * Masks what identifies a person in text that is kept for the knowledge authors: e-mail addresses
 * and UPNs, DOMAIN\user logons, phone numbers and the user's own name. Product words, error codes
 * and the counts and durations that make a question useful stay.
 */
const EMAIL_OR_UPN = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const DOMAIN_LOGON = /\b[A-Za-z][\w-]{1,14}\\[\w.$-]+/g;
// +31 6 1234 5678, 0612345678, (030) 123 45 67: a leading + or 0 and nine or more digits.
const PHONE = /(?:\+|\b0)[\d\s().-]{8,}\d/g;
const MASKS = { email: '[e-mail]', logon: '[account]', phone: '[phone]', name: '[name]' } as const;

export function maskPersonalData(text: string, names: readonly string[] = []): string {
  let masked = text
    .replace(EMAIL_OR_UPN, MASKS.email)
    .replace(DOMAIN_LOGON, MASKS.logon)
    .replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 9 ? MASKS.phone : match));
  for (const part of names.flatMap((n) => n.split(/[\s,]+/)).filter((p) => p.length >= 3)) {
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    masked = masked.replace(new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'giu'), MASKS.name);
  }
  return masked;
}

/** An Active Directory distinguished name, as sync error reports name objects: CN=Kees Jansen,OU=Sales,DC=… */
const DISTINGUISHED_NAME =
  /\bCN=(?:[^,\n\\]|\\.)+(?:,\s*(?:CN|OU|O|L|ST)=(?:[^,\n\\]|\\.)+)*(?:,\s*(?:DC|C)=[^,\s]+)*/gi;
/** Keys whose values are files or links to them (a report's CSV, a Teams file's pre-authenticated link). */
const FILE_KEYS = new Set(['contentUrl', 'downloadUrl']);

/**
 * Masks e-mail addresses, UPNs and distinguished names in every string of a JSON-like value
 * (transcripts), and keeps no file: a data: URL or a download link is replaced by "[file]".
 */
export function maskAddressesDeep<T>(value: T): T {
  if (typeof value === 'string') {
    if (value.startsWith('data:')) return '[file]' as T;
    return value.replace(DISTINGUISHED_NAME, '[dn]').replace(EMAIL_OR_UPN, MASKS.email) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => maskAddressesDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        FILE_KEYS.has(k) && typeof v === 'string' ? '[file]' : maskAddressesDeep(v),
      ]),
    ) as T;
  }
  return value;
}
