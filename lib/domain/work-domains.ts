/**
 * Free mail providers: an address there says nothing about the company a person works for, so it never
 * gives a company its domain. The list holds the large providers; a miss only means a company keeps no
 * domain, never a wrong link.
 */
const FREEMAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'mail.com',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'qq.com',
  '163.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
]);

/** The domain of a work address (`jane@acme.com` -> `acme.com`), or undefined for free mail. */
export function workDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!email.includes('@') || !domain || FREEMAIL.has(domain)) return undefined;
  return domain;
}
