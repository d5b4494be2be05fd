import type { Entity } from '../entities.ts';
import type { ExportFacts, Recognizer, Vendor, VendorExport } from './export-facts.ts';
import { hubspot } from './hubspot.ts';
import { pipedrive } from './pipedrive.ts';
import { salesforce } from './salesforce.ts';

export { ExportFacts, VENDORS, type Vendor, type VendorExport } from './export-facts.ts';

/** In this order: HubSpot's "Record ID" and Salesforce's API names are surer signs than Pipedrive's. */
const RECOGNIZERS: Record<Exclude<Vendor, 'generic'>, Recognizer> = { hubspot, salesforce, pipedrive };

/**
 * Whose export a file is, from its name and headers; undefined for any other CSV (the generic synonyms
 * apply). The manifest's `vendor` and `entity` for the file, when it gives them, win over the guesses.
 */
export function recognizeVendor(
  facts: ExportFacts,
  options: { vendor?: Vendor; entity?: Entity } = {},
): VendorExport | undefined {
  const { vendor, entity } = options;
  if (vendor === 'generic') return undefined;
  if (vendor) return RECOGNIZERS[vendor](facts, true, entity);
  for (const recognize of Object.values(RECOGNIZERS)) {
    const found = recognize(facts, false, entity);
    if (found) return found;
  }
  return undefined;
}
