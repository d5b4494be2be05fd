import { isoDate } from './dates.ts';
import type { Entity } from './entities.ts';
import {
  amount,
  companyRef,
  date,
  domain,
  email,
  listOf,
  phone,
  stageOf,
  text,
  vocabulary,
} from './field-rules.ts';
import type { MapContext, Mapper } from './rows.ts';
import { amountFrom, splitName } from './values.ts';

/** The column to name when a row has no name: first name if the file has one, else the full name. */
const nameRole = (ctx: MapContext) =>
  ctx.has('first_name') || !ctx.has('full_name') ? 'first_name' : 'full_name';

/** First and last name from their columns, or split from a full name. */
function names(ctx: MapContext): [string, string] {
  let first = ctx.value('first_name');
  let last = ctx.value('last_name');
  const full = ctx.value('full_name');
  if (!first && !last && full) [first, last] = splitName(full);
  return [first, last];
}

const company: Mapper = (ctx) => {
  const name = ctx.value('name');
  if (!name) return ctx.fail('name', 'a company needs a name');
  ctx.fields.name = name;
  const found = domain(ctx);
  if ('ok' in found) return found;
  if (!found.domain) return { key: `name:${name.toLowerCase()}` };
  ctx.fields.domains = [found.domain];
  return { key: `domain:${found.domain}` };
};

const person: Mapper = (ctx) => {
  const [first, last] = names(ctx);
  if (!first && !last) return ctx.fail(nameRole(ctx), 'a person needs a first or last name');
  if (first) ctx.fields.first_name = first;
  if (last) ctx.fields.last_name = last;
  const matched = email(ctx);
  if ('ok' in matched) return matched;
  phone(ctx);
  text(ctx, 'job_title');
  const bad = vocabulary(ctx, 'status', 'status', ctx.value('status'));
  if (bad) return bad;
  companyRef(ctx);
  ctx.associated.push(...listOf(ctx.value('deals')));
  return matched;
};

const deal: Mapper = (ctx) => {
  const name = ctx.value('name');
  if (!name) return ctx.fail('name', 'a deal needs a name');
  ctx.fields.name = name;
  const amountText = ctx.value('amount');
  if (amountText) {
    const value = amountFrom(amountText);
    if (value === undefined || value < 0) return ctx.fail('amount', `'${amountText}' is not an amount`);
    ctx.fields.amount = value;
  }
  const stage = stageOf(ctx);
  const bad = vocabulary(ctx, 'stage', stage.role, stage.text);
  if (bad) return bad;
  date(ctx, 'close_date', 'close_date');
  text(ctx, 'source', 'notes');
  companyRef(ctx);
  ctx.associated.push(...listOf(ctx.value('people')));
  return { key: `deal:${name.toLowerCase()}|${(ctx.refs.company ?? '').toLowerCase()}` };
};

const link: Mapper = (ctx) => {
  const dealRef = ctx.value('deal');
  const personRef = ctx.value('person');
  if (!dealRef) return ctx.fail('deal', 'a link needs a deal');
  if (!personRef) return ctx.fail('person', 'a link needs a person');
  ctx.refs.deal = dealRef;
  ctx.refs.person = personRef;
  return { key: `link:${dealRef.toLowerCase()}|${personRef.toLowerCase()}` };
};

/** Leads take one `name`: first and last joined, or the full name as it is. */
const lead: Mapper = (ctx) => {
  const [first, last] = names(ctx);
  const name =
    ctx.value('full_name') && !ctx.value('first_name')
      ? ctx.value('full_name')
      : [first, last].filter(Boolean).join(' ');
  if (!name) return ctx.fail(nameRole(ctx), 'a lead needs a name');
  ctx.fields.name = name;
  const matched = email(ctx);
  if ('ok' in matched) return matched;
  phone(ctx);
  text(ctx, 'source', 'notes', 'lead_type');
  amount(ctx, 'budget', 'budget');
  return matched;
};

/**
 * ActuallyCare clients need first_name, last_name and client_type (buyer, seller or both)
 * (shared/contracts/actuallycare.md C3, C4).
 */
const client: Mapper = (ctx) => {
  const [first, last] = names(ctx);
  if (!first || !last) {
    const missing = !first
      ? ctx.has('first_name')
        ? 'first_name'
        : nameRole(ctx)
      : ctx.has('last_name')
        ? 'last_name'
        : nameRole(ctx);
    return ctx.fail(
      missing,
      `a client needs a first and a last name (ActuallyCare requires both); got '${[first, last].filter(Boolean).join(' ')}'`,
    );
  }
  ctx.fields.first_name = first;
  ctx.fields.last_name = last;
  const typeText = ctx.value('client_type');
  const type = sideOf(typeText, 'both');
  if (!type) {
    return ctx.fail(
      'client_type',
      typeText
        ? `'${typeText}' does not say whether the client is a buyer, a seller or both: add a Client Type column, or set it for the file in manifest.json {"files": [{"file": "...", "defaults": {"client_type": "buyer"}}]}`
        : `a client needs a client type (buyer, seller or both): ${ctx.has('client_type') ? 'fill it in' : 'add a Client Type column'}, or set it for the file in manifest.json {"files": [{"file": "...", "defaults": {"client_type": "buyer"}}]}`,
    );
  }
  ctx.fields.client_type = type;
  const matched = email(ctx);
  if ('ok' in matched) return matched;
  phone(ctx);
  text(ctx, 'source', 'notes');
  amount(ctx, 'budget_min', 'budget_min');
  amount(ctx, 'budget_max', 'budget_max');
  return matched;
};

/** Vendors, agents, lenders: `first_name` and `contact_type` are required. */
const contact: Mapper = (ctx) => {
  const [first, last] = names(ctx);
  if (!first) return ctx.fail(nameRole(ctx), 'a contact needs a first name');
  ctx.fields.first_name = first;
  if (last) ctx.fields.last_name = last;
  const type = ctx.value('contact_type');
  if (!type)
    return ctx.fail(
      'contact_type',
      'a contact needs a contact type (vendor, agent, lender, ...): add a column or a default in the manifest',
    );
  ctx.fields.contact_type = type.toLowerCase().replace(/\s+/g, '_');
  const matched = email(ctx);
  if ('ok' in matched) return matched;
  phone(ctx);
  text(ctx, 'notes', 'company');
  return matched;
};

/** Escrow statuses ActuallyCare lists (actuallycare.md X2). */
const ESCROW_STATUSES = ['active', 'pending', 'closed', 'cancelled'];

/**
 * ActuallyCare escrows, as inferred from its MCP tool (actuallycare.md X4, X5: the REST body is not in
 * the stored reference): property_address, purchase_price and representation_type (buyer, seller or
 * dual) required; closing_date and status when the row has them.
 */
const escrow: Mapper = (ctx) => {
  const address = ctx.value('property_address');
  if (!address) return ctx.fail('property_address', 'an escrow needs a property address');
  ctx.fields.property_address = address;
  const priceText = ctx.value('price');
  if (!priceText) {
    return ctx.fail(
      'price',
      'an escrow needs a purchase price: add a Purchase Price column, or a default in manifest.json',
    );
  }
  const price = amountFrom(priceText);
  if (price === undefined || price < 0) return ctx.fail('price', `'${priceText}' is not a price`);
  ctx.fields.purchase_price = price;
  const sideText = ctx.value('representation_type');
  const side = sideOf(sideText, 'dual');
  if (!side) {
    return ctx.fail(
      'representation_type',
      sideText
        ? `'${sideText}' is not a representation: buyer, seller or dual`
        : `an escrow needs whom you represent (buyer, seller or dual): ${ctx.has('representation_type') ? 'fill it in' : 'add a Representation column'}, or set it for the file in manifest.json {"files": [{"file": "...", "defaults": {"representation_type": "buyer"}}]}`,
    );
  }
  ctx.fields.representation_type = side;
  const status = ctx.value('status');
  if (status) {
    if (ESCROW_STATUSES.includes(status.toLowerCase())) ctx.fields.status = status.toLowerCase();
    else ctx.warn('status', `'${status}' is not an escrow status (${ESCROW_STATUSES.join(', ')}): left out`);
  }
  const closeDate = ctx.value('close_date');
  if (closeDate) {
    const iso = isoDate(closeDate);
    if (!iso) return ctx.fail('close_date', `'${closeDate}' is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    ctx.fields.closing_date = iso;
  }
  if (ctx.value('client')) ctx.refs.client = ctx.value('client');
  return { key: `escrow:${address.toLowerCase()}` };
};

/**
 * Buyer, seller or both from the words exports use ("Buyer & Seller", "Buy side", "Listing", "Dual"):
 * `both` is the word for the two together (client_type `both`, representation `dual`).
 */
export function sideOf(text: string, both: 'both' | 'dual'): string | undefined {
  const words = text.toLowerCase();
  if (!words.trim()) return undefined;
  const buyer = /\bbuy|purchas/.test(words);
  const seller = /\bsell|\blist|vendor/.test(words);
  if ((buyer && seller) || /\bboth\b|\bdual\b/.test(words)) return both;
  if (buyer) return 'buyer';
  if (seller) return 'seller';
  return undefined;
}

export const MAPPERS: Record<Entity, Mapper> = { company, person, deal, link, lead, client, contact, escrow };
