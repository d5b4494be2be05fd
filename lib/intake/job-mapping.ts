import type { CountryCode } from 'libphonenumber-js';
import { type ContentKind, contentOf } from '#domain/column-content.ts';
import { type ColumnMapping, type RecognizedBy, samplesOf } from '#domain/column-mapping.ts';
import { type ColumnRole, normalizeHeader, resolveColumns } from '#domain/columns.ts';
import { type Entity, type RecordEntity, STAGE_LABEL } from '#domain/entities.ts';
import { FAILURE_COLUMNS } from '#domain/failures-csv.ts';
import { listOf } from '#domain/field-rules.ts';
import { rowTyping } from '#domain/row-types.ts';
import { domainFrom, firstEmail } from '#domain/values.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import type { FileSample } from './file-sample.ts';
import { type FileRecognition, type JobFile, type Roles, recognizeFile } from './job-files.ts';

/** One file of the job as recognition sees it: the manifest's word for it, and its top rows. */
export interface SampledFile {
  file: JobFile;
  /** Undefined when the file could not be read: split reports why. */
  sample?: FileSample;
}

/** The roles a column's values can fill when its name says nothing: by what they look like. */
const CONTENT_ROLES: Partial<Record<Entity, Partial<Record<ContentKind, ColumnRole[]>>>> = {
  company: { url: ['domain'] },
  person: { email: ['email'], phone: ['phone', 'mobile'] },
  lead: { email: ['email'], phone: ['phone', 'mobile'] },
  client: { email: ['email'], phone: ['phone', 'mobile'] },
  contact: { email: ['email'], phone: ['phone', 'mobile'] },
  deal: { date: ['close_date'], amount: ['amount'] },
  escrow: { date: ['close_date'], amount: ['price'] },
};

/** Columns about the record rather than of it: the source CRM's times, counters and scores. */
const BOOKKEEPING =
  /\b(created?|modified|updated?|added|add|last|deleted|archived|timestamp|time|birth|birthday|dob|probability|percent|score|rating|employees|count|number|year|zip|postal|age|id|ids)\b|%/;
/** Columns naming the source CRM's users: their values are people, but not the contacts of the export. */
const USERS = /\b(owner|by|assigned|assignee|user|rep|representative|manager|team)\b/;

/**
 * A column whose values are names or ids of another file's rows references that file. From samples,
 * both sides read from the top of their files: at least two values found, and either half of the
 * column's distinct values or twenty of them (a big export's deals name contacts far down the file).
 */
const referencesEnough = (found: number, distinct: number) =>
  found >= 2 && (found * 2 >= distinct || found >= 20);

/** Distinct values considered per column. */
const DISTINCT = 500;

/**
 * Recognises every file of a job together: its vendor and entity (the manifest, the vendor's own
 * columns, its name, its headers, then its values), each column's role by the manifest, the vendor, the
 * synonyms, what its values name in the job's other files, then what they look like, and what becomes of
 * every column (a field, a reference, or not imported and why).
 */
export function mapJob(
  files: readonly SampledFile[],
  profile: TargetProfile,
  region: CountryCode,
): FileRecognition[] {
  const found = files.map(({ file, sample }) =>
    sample ? firstLook(file, sample, profile, region) : undefined,
  );
  const identities = new Map<number, Set<string>>();
  const identitiesOf = (j: number): Set<string> => {
    let set = identities.get(j);
    if (!set) {
      const look = found[j];
      const entity = look?.entity;
      set =
        look && entity && entity !== 'mixed'
          ? rowIdentities(files[j]?.sample as FileSample, look.roles?.[entity] ?? {})
          : new Set();
      identities.set(j, set);
    }
    return set;
  };
  return files.map(({ file, sample }, i) => {
    const look = found[i];
    if (!look || !sample) return { vendor: 'generic' };
    const others = found.flatMap((other, j) =>
      other?.entity && other.entity !== 'mixed' && j !== i
        ? [{ entity: other.entity, file: files[j]?.file.file ?? '', names: () => identitiesOf(j) }]
        : [],
    );
    const reasons =
      look.entity && look.entity !== 'mixed' && !look.failures
        ? complete(look.entity, look.roles?.[look.entity] ?? {}, sample, others, profile, region)
        : new Map();
    return { ...look, mapping: describe(file, sample, look, reasons, profile) };
  });
}

/** What the file's name and headers say, before the other files are looked at. */
function firstLook(
  file: JobFile,
  sample: FileSample,
  profile: TargetProfile,
  region: CountryCode,
): FileRecognition {
  const recognition = recognizeFile(file, sample.headers, profile);
  const entity = recognition.entity ?? entityByContent(sample, profile, region);
  const entities: readonly Entity[] = recognition.failures
    ? [...profile.entities, ...(profile.links ? ['link' as const] : [])]
    : entity === 'mixed'
      ? profile.rowTypes
      : entity
        ? [entity]
        : [];
  const vendor = recognition.vendorExport;
  const roles: Partial<Record<Entity, Roles>> = {};
  for (const e of entities)
    roles[e] = resolveColumns(e, sample.headers, file.columns, vendor?.entity === e ? vendor : undefined);
  return { ...recognition, ...(entity ? { entity } : {}), roles };
}

/** A file no name or header tells: a column of emails holds people, one of websites companies. */
function entityByContent(
  sample: FileSample,
  profile: TargetProfile,
  region: CountryCode,
): Entity | undefined {
  if (profile.rowTypes.length) return undefined;
  const kinds = new Set(
    sample.headers.map((h) =>
      contentOf(
        sample.rows.map((r) => r[h] ?? ''),
        region,
      ),
    ),
  );
  if (kinds.has('email') && profile.entities.includes('person')) return 'person';
  if (kinds.has('url') && profile.entities.includes('company')) return 'company';
  return undefined;
}

/** The ids, emails, domains and names the rows of a file answer to, lower-cased. */
function rowIdentities(sample: FileSample, roles: Roles): Set<string> {
  const names = new Set<string>();
  const add = (value: string | undefined) => {
    const text = (value ?? '').trim().toLowerCase();
    if (text) names.add(text);
  };
  const at = (row: Record<string, string>, role: ColumnRole) => (roles[role] ? (row[roles[role]] ?? '') : '');
  for (const row of sample.rows) {
    add(at(row, 'ref'));
    add(at(row, 'name'));
    add(at(row, 'full_name'));
    add([at(row, 'first_name').trim(), at(row, 'last_name').trim()].filter(Boolean).join(' '));
    const email = at(row, 'email');
    if (email) add(firstEmail(email));
    const domain = at(row, 'domain');
    if (domain) add(domainFrom(domain));
  }
  return names;
}

interface OtherFile {
  entity: Entity;
  file: string;
  names: () => Set<string>;
}

/** Why a column has the role it has, or is not imported: what `describe` says of it. */
type Reason =
  | { by: RecognizedBy; detail?: string }
  | { reason: 'no field' | 'ambiguous' | 'empty'; detail: string };

/**
 * Fills the roles names left open from the columns no name placed: a column naming another file's rows
 * becomes that reference, then a column's values say what it is (emails, websites, phones, dates,
 * amounts). Two columns that could fill one role fill neither: they are ambiguous. Changes `roles`.
 */
function complete(
  entity: Entity,
  roles: Roles,
  sample: FileSample,
  others: OtherFile[],
  profile: TargetProfile,
  region: CountryCode,
): Map<string, Reason> {
  const reasons = new Map<string, Reason>();
  // A column that shares its name with an earlier one is read with it, never on its own.
  const placed = new Set([...Object.values(roles), ...(sample.sameNames ?? []).flatMap((g) => g.slice(1))]);
  const byReference = new Map<ColumnRole, { column: string; file: string }[]>();
  const byContent = new Map<ContentKind, string[]>();
  for (const column of sample.headers) {
    if (placed.has(column)) continue;
    const values = sample.rows.map((r) => r[column] ?? '');
    const kind = contentOf(values, region);
    if (kind === 'empty') {
      reasons.set(column, { reason: 'empty', detail: `blank in the first ${sample.rows.length} rows` });
      continue;
    }
    const header = normalizeHeader(column);
    const named = USERS.test(header) ? undefined : referenceOf(values, entity, others, profile);
    if (named) {
      byReference.set(named.role, [...(byReference.get(named.role) ?? []), { column, file: named.file }]);
      continue;
    }
    if (!BOOKKEEPING.test(header) || kind === 'email' || kind === 'url' || kind === 'phone')
      byContent.set(kind, [...(byContent.get(kind) ?? []), column]);
  }
  for (const [role, columns] of byReference) {
    const to = STAGE_LABEL[profile.references[entity]?.[role] as RecordEntity];
    const taken = roles[role];
    if (taken || columns.length > 1) {
      const rivals = [...(taken ? [taken] : []), ...columns.map((c) => c.column)];
      for (const { column, file } of columns)
        reasons.set(column, {
          reason: 'ambiguous',
          detail: `its values name rows of ${file}, and so ${rivals.length > 2 ? 'do' : 'does'} ${quoted(rivals.filter((r) => r !== column))}: which names the ${to}?`,
        });
      continue;
    }
    const { column, file } = columns[0] as { column: string; file: string };
    roles[role] = column;
    reasons.set(column, { by: 'values', detail: `its values name rows of ${file}` });
  }
  for (const [kind, columns] of byContent) {
    const fit = CONTENT_ROLES[entity]?.[kind] ?? [];
    const free = fit.filter((role) => !roles[role] && profile.fields[entity]?.[role]);
    if (!free.length) {
      const taken = fit.map((role) => roles[role]).filter((c): c is string => Boolean(c));
      if (taken.length)
        for (const column of columns)
          reasons.set(column, {
            reason: 'no field',
            detail: `${a(kind)} beside ${quoted(taken)}, which the ${entity} already takes`,
          });
      continue;
    }
    if (columns.length > free.length) {
      for (const column of columns) {
        const rivals = columns.filter((c) => c !== column);
        reasons.set(column, {
          reason: 'ambiguous',
          detail: `${a(kind)}, and so ${rivals.length > 1 ? 'do' : 'does'} ${quoted(rivals)}: which is the ${free.join(' or ').replaceAll('_', ' ')}?`,
        });
      }
      continue;
    }
    columns.forEach((column, n) => {
      roles[free[n] as ColumnRole] = column;
      reasons.set(column, { by: 'content', detail: `its values are ${plural(kind)}` });
    });
  }
  return reasons;
}

/** The reference role a column's values fill, when they are the names or ids of another file's rows. */
function referenceOf(
  values: string[],
  entity: Entity,
  others: OtherFile[],
  profile: TargetProfile,
): { role: ColumnRole; file: string } | undefined {
  const targets = Object.entries(profile.references[entity] ?? {}) as [ColumnRole, RecordEntity][];
  if (!targets.length) return undefined;
  const distinct = new Set<string>();
  for (const value of values) {
    for (const item of listOf(value)) distinct.add(item.toLowerCase());
    if (distinct.size >= DISTINCT) break;
  }
  let best: { role: ColumnRole; file: string; found: number } | undefined;
  for (const other of others) {
    const role = targets.find(([, to]) => to === other.entity)?.[0];
    if (!role) continue;
    const names = other.names();
    const found = [...distinct].filter((v) => names.has(v)).length;
    if (referencesEnough(found, distinct.size) && found > (best?.found ?? 0))
      best = { role, file: other.file, found };
  }
  return best;
}

/** Every column of the file, in header order, with what becomes of it. */
function describe(
  file: JobFile,
  sample: FileSample,
  look: FileRecognition,
  reasons: Map<string, Reason>,
  profile: TargetProfile,
): ColumnMapping[] {
  const typeColumn = look.failures
    ? 'entity'
    : look.entity === 'mixed'
      ? rowTyping(sample.headers, profile.rowTypes, file)?.column
      : undefined;
  const vendor = look.vendorExport;
  const described = sample.headers.map((column): ColumnMapping => {
    const samples = samplesOf(sample.rows.map((r) => r[column]));
    if (column === typeColumn)
      return {
        column,
        use: 'field',
        target: `the row's type (${profile.rowTypes.join(', ') || 'entity'})`,
        by: 'name',
        samples,
      };
    if (look.failures && (FAILURE_COLUMNS as readonly string[]).includes(column))
      return { column, use: 'not imported', reason: 'no field', detail: 'added by the report', samples };
    const reason = reasons.get(column);
    if (reason && 'reason' in reason) return { column, use: 'not imported', ...reason, samples };
    const uses = Object.entries(look.roles ?? {}).flatMap(([entity, roles]) =>
      Object.entries(roles ?? {})
        .filter(([, header]) => header === column)
        .map(([role]) => ({ entity: entity as Entity, role: role as ColumnRole })),
    );
    if (!uses.length) {
      if (!look.entity)
        return {
          column,
          use: 'not imported',
          reason: 'ambiguous',
          detail: `cannot tell what ${file.file} holds`,
          samples,
        };
      return {
        column,
        use: 'not imported',
        reason: 'no field',
        detail: noField(profile, look.entity),
        samples,
      };
    }
    const by: RecognizedBy =
      reason?.by ??
      (file.columns?.[column]
        ? 'manifest'
        : vendor &&
            uses.some((u) => vendor.synonyms[u.role]?.includes((vendor.normalize ?? normalizeHeader)(column)))
          ? 'vendor'
          : 'name');
    const detail = reason && 'by' in reason ? reason.detail : undefined;
    const one = (entity: Entity, role: ColumnRole) => {
      if (role === 'ref')
        return { use: 'reference' as const, target: 'its own id (other rows name it by it)' };
      const to = profile.references[entity]?.[role];
      if (to) return { use: 'reference' as const, target: STAGE_LABEL[to] };
      const field = profile.fields[entity]?.[role];
      return field ? { use: 'field' as const, target: field } : undefined;
    };
    const targets = uses.flatMap(({ entity, role }) => {
      const use = one(entity, role);
      return use ? [{ ...use, entity }] : [];
    });
    if (!targets.length) {
      const { entity, role } = uses[0] as { entity: Entity; role: ColumnRole };
      return {
        column,
        use: 'not imported',
        role,
        reason: 'no field',
        detail: `${noField(profile, entity)} (${role.replaceAll('_', ' ')})`,
        samples,
      };
    }
    const several = new Set(targets.map((t) => t.entity)).size > 1;
    const target = [...new Set(targets.map((t) => (several ? `${t.entity}: ${t.target}` : t.target)))].join(
      '; ',
    );
    const use = targets.some((t) => t.use === 'field') ? 'field' : 'reference';
    return { column, use, role: uses[0]?.role, target, by, ...(detail ? { detail } : {}), samples };
  });
  return described.map((m) => sameNameAs(m, described, sample.sameNames ?? []));
}

/** A column named like an earlier one goes where that one goes, read when that one is blank. */
function sameNameAs(m: ColumnMapping, all: ColumnMapping[], sameNames: string[][]): ColumnMapping {
  const first = sameNames.find((group) => group.slice(1).includes(m.column))?.[0];
  const into = first === undefined ? undefined : all.find((other) => other.column === first);
  if (!into) return m;
  const { column, samples } = m;
  const detail = `read when '${first}' is blank: the columns share a name`;
  return into.use === 'not imported'
    ? { column, use: 'not imported', reason: into.reason ?? 'no field', detail, samples }
    : { column, use: into.use, role: into.role, target: into.target, by: 'name', detail, samples };
}

const noField = (profile: TargetProfile, entity: string) =>
  `${profile.label}'s ${entity} has no field for it`;
const quoted = (columns: string[]) => columns.map((c) => `'${c}'`).join(' and ');
const a = (kind: ContentKind) => `it holds ${plural(kind)}`;
const PLURALS: Record<ContentKind, string> = {
  empty: 'blanks',
  email: 'emails',
  url: 'websites',
  date: 'dates',
  phone: 'phone numbers',
  amount: 'amounts',
  text: 'text',
};
const plural = (kind: ContentKind) => PLURALS[kind];
