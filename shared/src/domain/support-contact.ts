/**
 * Where a customer can turn when a link is dead (`SUPPORT_CONTACT`): a phone number, an email
 * address or an https page. `href` is the link to offer (`tel:`, `mailto:`, `https:`); `label`
 * is what the page shows.
 */
export type SupportContact = {
  readonly kind: 'phone' | 'email' | 'url';
  readonly href: string;
  readonly label: string;
};

const EMAIL = /^[^\s@<>"']{1,64}@[^\s@<>"']+\.[^\s@<>"']{2,}$/;
const PHONE = /^\+?[0-9][0-9 ()./-]{3,28}[0-9]$/;

/**
 * Reads a `SUPPORT_CONTACT` value: `+49 30 1234567` (phone), `help@contoso.com` (email) or
 * `https://contoso.com/help` (page). `undefined` when it is none of these (the config refuses it).
 */
export function parseSupportContact(raw: string): SupportContact | undefined {
  const value = raw.trim();
  if (value.length === 0 || value.length > 200) return undefined;
  if (/^https:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' || !url.hostname || url.username || url.password)
        return undefined;
      return {
        kind: 'url',
        href: url.href,
        label: url.host + (url.pathname === '/' ? '' : url.pathname),
      };
    } catch {
      return undefined;
    }
  }
  if (EMAIL.test(value)) return { kind: 'email', href: `mailto:${value}`, label: value };
  if (PHONE.test(value) && value.replace(/\D/g, '').length >= 5) {
    return { kind: 'phone', href: `tel:${value.replace(/[^\d+]/g, '')}`, label: value };
  }
  return undefined;
}
