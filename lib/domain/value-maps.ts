/**
 * Fields whose values come from a fixed vocabulary in the target (Clarify's person `status` and deal
 * `stage` are case-sensitive enums). Source CRMs use their own words; these maps translate them.
 */
export const VOCABULARY_FIELDS = ['status', 'stage'] as const;
export type VocabularyField = (typeof VOCABULARY_FIELDS)[number];

export type ValueMaps = Partial<Record<VocabularyField, Record<string, string>>>;
export type Enums = Partial<Record<VocabularyField, readonly string[]>>;

/** Keys compare without case, spaces or punctuation: "Marketing Qualified Lead" = "marketingqualifiedlead". */
export const vocabularyKey = (value: string): string => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Default translations, used only when the target's enum holds the value they give. Person status:
 * HubSpot lifecycle stages (labels or internal names) and Salesforce lead statuses.
 */
export const BUILT_IN_STATUS: Record<string, string> = {
  subscriber: 'Lead',
  lead: 'Lead',
  marketingqualifiedlead: 'Lead',
  mql: 'Lead',
  salesqualifiedlead: 'Lead',
  sql: 'Lead',
  opportunity: 'Active',
  customer: 'Customer',
  evangelist: 'Customer',
  other: 'Inactive',
  opennotcontacted: 'Lead',
  workingcontacted: 'Lead',
  closedconverted: 'Active',
  closednotconverted: 'Inactive',
};

/** Deal stage: HubSpot's default pipeline, Salesforce's default StageName values, Pipedrive's default pipeline. */
export const BUILT_IN_STAGE: Record<string, string> = {
  appointmentscheduled: 'Prospecting',
  qualifiedtobuy: 'Qualification',
  presentationscheduled: 'Proposal',
  decisionmakerboughtin: 'Negotiation',
  contractsent: 'Negotiation',
  closedwon: 'Closed Won',
  closedlost: 'Closed Lost',
  needsanalysis: 'Qualification',
  valueproposition: 'Proposal',
  iddecisionmakers: 'Qualification',
  perceptionanalysis: 'Qualification',
  proposalpricequote: 'Proposal',
  negotiationreview: 'Negotiation',
  leadin: 'Prospecting',
  qualified: 'Qualification',
  contactmade: 'Qualification',
  demoscheduled: 'Qualification',
  proposalmade: 'Proposal',
  negotiationsstarted: 'Negotiation',
  won: 'Closed Won',
  lost: 'Closed Lost',
};

const BUILT_IN: Record<VocabularyField, Record<string, string>> = {
  status: BUILT_IN_STATUS,
  stage: BUILT_IN_STAGE,
};

export type Canonical =
  | { ok: true; value: string; how: 'as is' | 'case' | 'mapped' }
  | { ok: false; message: string };

/**
 * One value to the target's spelling: the manifest's value map first, then the target's enum ignoring
 * case, then the built-in map. A target without an enum for the field takes any value (after the
 * manifest's map); a target with one rejects what none of these reach, naming the allowed values.
 */
export function canonicalValue(
  field: VocabularyField,
  value: string,
  rules: { enums?: Enums; valueMaps?: ValueMaps },
): Canonical {
  const allowed = rules.enums?.[field];
  const mapped = lookup(rules.valueMaps?.[field], value);
  if (mapped !== undefined) {
    if (!allowed) return { ok: true, value: mapped, how: 'mapped' };
    const target = inEnum(allowed, mapped);
    if (target !== undefined) return { ok: true, value: target, how: 'mapped' };
    return {
      ok: false,
      message: `the value map sends '${value}' to '${mapped}', which is not ${oneOf(allowed)}`,
    };
  }
  if (!allowed) return { ok: true, value, how: 'as is' };
  const direct = inEnum(allowed, value);
  if (direct !== undefined) return { ok: true, value: direct, how: direct === value ? 'as is' : 'case' };
  const builtIn = BUILT_IN[field][vocabularyKey(value)];
  const target = builtIn === undefined ? undefined : inEnum(allowed, builtIn);
  if (target !== undefined) return { ok: true, value: target, how: 'mapped' };
  return {
    ok: false,
    message: `'${value}' is not ${oneOf(allowed)}; map it in manifest.json "valueMaps": {"${field}": {"${value}": "..."}}`,
  };
}

const lookup = (map: Record<string, string> | undefined, value: string): string | undefined => {
  if (!map) return undefined;
  const key = vocabularyKey(value);
  for (const [from, to] of Object.entries(map)) if (vocabularyKey(from) === key) return to;
  return undefined;
};

const inEnum = (allowed: readonly string[], value: string): string | undefined =>
  allowed.find((a) => a === value) ?? allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());

const oneOf = (allowed: readonly string[]) => `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
