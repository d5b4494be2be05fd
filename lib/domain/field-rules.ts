import type { ColumnRole } from './columns.ts';
import { isoDate } from './dates.ts';
import { shown } from './field-limits.ts';
import { e164, firstPhone } from './phones.ts';
import type { MapContext, RowResult } from './rows.ts';
import { canonicalValue, type VocabularyField, vocabularyKey } from './value-maps.ts';
import { amountFrom, domainFrom, firstEmail, isEmail } from './values.ts';

/** The cleaning rules one field at a time; each counts what it changed in the row's cleaning sink. */

/** HubSpot separates the ids of an association column with `;`. */
export const listOf = (text: string): string[] => {
  // Most cells name one id or none: no list to split.
  if (!text.includes(';')) {
    const one = text.trim();
    return one ? [one] : [];
  }
  return text
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);
};

/** Email, when there is one: the first of a list, lower-cased, validated; the match key of a person. */
export function email(ctx: MapContext): { key?: string } | RowResult {
  const text = ctx.value('email');
  if (!text) return {};
  const address = firstEmail(text);
  if (!isEmail(address)) return ctx.fail('email', `'${shown(text)}' is not an email address`);
  const tooLong = rfc5321(address);
  if (tooLong) return ctx.fail('email', `'${shown(address)}' is not an email address: ${tooLong} (RFC 5321)`);
  if (/[,;\s]/.test(text) && text.split(/[,;\s]+/).filter(Boolean).length > 1) ctx.count('firstOfList');
  if (!text.includes(address)) ctx.count('emailsLowercased');
  ctx.fields.email = address;
  return { key: `email:${address}` };
}

/** The lengths RFC 5321 (section 4.5.3.1) allows: 64 characters before the @, 254 in all. */
function rfc5321(address: string): string | undefined {
  const local = address.slice(0, address.lastIndexOf('@'));
  if (local.length > 64) return `its local part (before @) is ${local.length} characters, more than 64`;
  if (address.length > 254) return `it is ${address.length} characters, more than 254`;
  return undefined;
}

/**
 * The row's phones in E.164: `phone`, and `mobile` for a second one (a mobile beside the work phone), or
 * as `phone` when the first is blank or unreadable. One that cannot be read is left out with a warning,
 * and the row still goes in.
 */
export function phone(ctx: MapContext): void {
  const phone = onePhone(ctx, 'phone');
  const mobile = onePhone(ctx, 'mobile');
  const first = phone ?? mobile;
  const second = phone ? mobile : undefined;
  if (first) ctx.fields.phone = first;
  if (second && second !== first) ctx.fields.mobile = second;
}

function onePhone(ctx: MapContext, role: 'phone' | 'mobile'): string | undefined {
  const text = ctx.value(role);
  if (!text) return undefined;
  const { phone: first, listed } = firstPhone(text);
  if (listed > 1) ctx.count('firstOfList');
  const region = ctx.rules.phoneRegion ?? 'US';
  const number = e164(first, region);
  if (!number) {
    ctx.count('phonesDropped');
    ctx.warn(role, `'${first}' is not a phone number (read in region ${region}): left out`, 'phone left out');
    return undefined;
  }
  if (number !== first) ctx.count('phonesNormalized');
  return number;
}

/** A calendar day (`YYYY-MM-DD`); one that cannot be read is left out with a warning. */
export function date(ctx: MapContext, role: ColumnRole, field: string): void {
  const text = ctx.value(role);
  if (!text) return;
  const day = isoDate(text);
  if (day) ctx.fields[field] = day;
  else ctx.warn(role, `'${text}' is not a date (YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY): left out`);
}

/** A number ≥ 0 (`$12,500` is 12500); one that cannot be read is left out with a warning. */
export function amount(ctx: MapContext, role: ColumnRole, field: string): void {
  const text = ctx.value(role);
  if (!text) return;
  const value = amountFrom(text);
  if (value !== undefined && value >= 0) ctx.fields[field] = value;
  else ctx.warn(role, `'${text}' is not an amount: left out`);
}

/** Text fields copied as they are, when the row has them. */
export function text(ctx: MapContext, ...roles: ColumnRole[]): void {
  for (const role of roles) {
    const value = ctx.value(role);
    if (value) ctx.fields[role] = value;
  }
}

/** A website or URL as a bare domain (the first of a list); undefined leaves the company without one. */
export function domain(ctx: MapContext): { domain?: string } | RowResult {
  const text = ctx.value('domain');
  if (!text) return {};
  const [first = '', ...more] = text.split(/[\s,;]+/).filter(Boolean);
  const found = domainFrom(first);
  if (!found) return ctx.fail('domain', `'${text}' is not a domain or website`);
  if (more.length) ctx.count('firstOfList');
  if (found !== first.toLowerCase()) ctx.count('domainsFromWebsites');
  return { domain: found };
}

/** A value of the target's vocabulary (person status, deal stage), in its spelling, or a failed row. */
export function vocabulary(
  ctx: MapContext,
  field: VocabularyField,
  role: ColumnRole,
  text: string,
): RowResult | undefined {
  if (!text) return undefined;
  const result = canonicalValue(field, text, ctx.rules);
  if (!result.ok) return ctx.fail(role, result.message);
  if (result.how === 'case') ctx.count('enumsCanonicalized');
  if (result.how === 'mapped') ctx.count('valuesMapped');
  ctx.fields[field] = result.value;
  return undefined;
}

/** A deal's stage; a won or lost status column (Pipedrive's) says more than the stage it stopped at. */
export function stageOf(ctx: MapContext): { role: ColumnRole; text: string } {
  const status = ctx.value('status');
  const closed = ['won', 'lost'].includes(vocabularyKey(status));
  return closed ? { role: 'status', text: status } : { role: 'stage', text: ctx.value('stage') };
}

/** The company a person or deal belongs to; of several (HubSpot's `;` list) the first, with a warning. */
export function companyRef(ctx: MapContext): void {
  const [first, ...more] = listOf(ctx.value('company'));
  if (!first) return;
  if (more.length) {
    ctx.count('firstOfList');
    ctx.warn(
      'company',
      `${more.length + 1} companies listed: linked to the first, '${first}'`,
      'several companies',
    );
  }
  ctx.refs.company = first;
}
