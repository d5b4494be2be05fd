import { posix } from 'node:path';
import type { ColumnMapping } from '#domain/column-mapping.ts';
import { type ColumnRole, entityFromFileName, normalizeHeader } from '#domain/columns.ts';
import type { Entity } from '#domain/entities.ts';
import { JobError } from '#domain/errors.ts';
import { isFailuresFile } from '#domain/failures-file.ts';
import { type Manifest, type ManifestFile, parseManifest } from '#domain/manifest.ts';
import type { FileEntity } from '#domain/plan.ts';
import { ExportFacts, recognizeVendor, type Vendor, type VendorExport } from '#domain/vendors/recognize.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import type { TargetProfile } from '#targets/profiles.ts';

export type { FileEntity };

export interface JobFile extends Omit<ManifestFile, 'entity'> {
  /** S3 key of the file. */
  key: string;
  /** The name a person knows it by: its path under the job's folder. */
  file: string;
  entity?: FileEntity;
  /** What recognising the whole job decided for this file (split's first Task), kept for the Tasks after it. */
  recognition?: FileRecognition;
}

/** Which column plays which role, for rows of one entity. */
export type Roles = Partial<Record<ColumnRole, string>>;

export interface JobInput {
  files: JobFile[];
  manifest: Manifest;
}

const isManifest = (key: string) => posix.basename(key) === 'manifest.json';
/** A CSV, or one compressed with gzip (told by its bytes, whatever its name, when it is read). */
const isData = (key: string) => /\.(csv|tsv|txt)(\.gz)?$/i.test(key);

/**
 * A lone CSV is a one-file job; a folder's manifest.json starts a multi-file job whose files are the ones
 * the manifest lists, or every CSV beside it.
 */
export async function resolveJobFiles(store: ObjectStore, sourceKey: string): Promise<JobInput> {
  if (!isManifest(sourceKey))
    return { files: [{ key: sourceKey, file: posix.basename(sourceKey) }], manifest: {} };
  const folder = posix.dirname(sourceKey);
  const manifest = parseManifest(await store.getText(sourceKey), posix.basename(sourceKey));
  const jobWide = { typeColumn: manifest.typeColumn, typeValues: manifest.typeValues };
  if (manifest.files) {
    const files = manifest.files.map((f) => ({ ...jobWide, ...f, key: `${folder}/${f.file}` }));
    const missing: string[] = [];
    for (const f of files) if (!(await store.exists(f.key))) missing.push(f.file);
    if (missing.length) {
      throw new JobError(
        'BAD_MANIFEST',
        `manifest.json: files not found in ${folder}/: ${missing.join(', ')}`,
      );
    }
    return { files, manifest };
  }
  const keys = (await store.list(`${folder}/`)).filter(
    (key) => isData(key) && !key.slice(folder.length + 1).includes('/'),
  );
  if (!keys.length) throw new JobError('BAD_MANIFEST', `manifest.json: no CSV files in ${folder}/`);
  return { files: keys.map((key) => ({ ...jobWide, key, file: posix.basename(key) })), manifest };
}

export interface FileRecognition {
  vendor: Vendor;
  entity?: FileEntity;
  /** A failures.csv the user fixed and dropped back in: mixed, typed by its `entity` column. */
  failures?: boolean;
  /** The vendor's column names, when the file is a recognised export of the entity it is read as. */
  vendorExport?: VendorExport;
  /**
   * Decided with the job's other files and the file's first rows (job-mapping.ts): the roles of its
   * columns for each entity its rows are read as, and what becomes of every column.
   */
  roles?: Partial<Record<Entity, Roles>>;
  mapping?: ColumnMapping[];
}

/**
 * Whose export a file is and which entity it holds: the manifest's word, else a recognised HubSpot,
 * Salesforce or Pipedrive export, else its name, else its headers. Vendor exports are recognised for
 * targets with companies and people (Clarify); other targets read every file as a plain CSV.
 */
export function recognizeFile(
  file: JobFile,
  headers: readonly string[],
  profile: TargetProfile,
): FileRecognition {
  if (isFailuresFile(headers)) return { vendor: 'generic', entity: 'mixed', failures: true };
  const crm = profile.entities.includes('person') && profile.entities.includes('company');
  const manifestEntity = file.entity === 'mixed' ? undefined : file.entity;
  const found = crm
    ? recognizeVendor(new ExportFacts(file.file, headers), { vendor: file.vendor, entity: manifestEntity })
    : undefined;
  const entity = file.entity ?? found?.entity ?? plainEntity(file, headers, profile);
  const vendorExport = found && found.entity === entity ? found : undefined;
  return { vendor: found?.vendor ?? 'generic', entity, ...(vendorExport ? { vendorExport } : {}) };
}

/** A plain CSV's entity: its name, else its headers. */
function plainEntity(
  file: JobFile,
  headers: readonly string[],
  profile: TargetProfile,
): FileEntity | undefined {
  const byName = entityFromFileName(file.file, profile.fileNames);
  if (byName) return byName;
  const h = new Set(headers.map(normalizeHeader));
  const has = (...names: string[]) => names.some((n) => h.has(n));
  if (profile.rowTypes.length) {
    if (has('property address', 'escrow id', 'close date')) return 'escrow';
    if (has('type', 'record type', 'contact type', 'category', 'relationship', 'status')) return 'mixed';
    return undefined;
  }
  if (has('deal id', 'deal') && has('person id', 'person email', 'contact id', 'person')) return 'link';
  if (
    has(
      'stage',
      'deal stage',
      'pipeline stage',
      'amount',
      'deal name',
      'deal value',
      'opportunity name',
      'expected close date',
      'close date',
    )
  )
    return 'deal';
  if (
    has(
      'email',
      'email address',
      'emails',
      'first name',
      'firstname',
      'last name',
      'lastname',
      'full name',
      'job title',
    )
  )
    return 'person';
  if (has('domain', 'domains', 'website', 'company name', 'account name', 'organization name', 'industry'))
    return 'company';
  return undefined;
}

/**
 * The order files are split in: companies before the people and deals that point at them, people and
 * deals before links. Split then knows, when it reads a person, whether the company is a catch-all
 * account and which duplicate company its id now stands for. Files of one entity keep their order.
 */
export function splitOrder(entities: (FileEntity | undefined)[], profile: TargetProfile): number[] {
  const ranks: readonly (FileEntity | undefined)[] = ['mixed', ...profile.entities, 'link'];
  const rank = (e: FileEntity | undefined) => {
    const i = ranks.indexOf(e);
    return i === -1 ? ranks.length : i;
  };
  return entities.map((_, i) => i).sort((a, b) => rank(entities[a]) - rank(entities[b]) || a - b);
}
