import type { CsvFormat } from '#csv/read-csv.ts';
import type { CleaningSink, Recognized } from '#domain/cleaning.ts';
import { type ColumnRole, resolveColumns } from '#domain/columns.ts';
import type { Entity, RecordEntity } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { failuresTyping, originalColumns } from '#domain/failures-file.ts';
import { type RowTyping, rowTyping } from '#domain/row-types.ts';
import { type RowInput, type RowResult, type RowRules, toSourceRow } from '#domain/rows.ts';
import { delimiterName } from '#domain/text-format.ts';
import { type ValueMaps, VOCABULARY_FIELDS } from '#domain/value-maps.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import type { FileEntity, FileRecognition, JobFile } from './job-files.ts';

/** Why a row of a file cannot be imported at all (the file's entity, or the row's type, is unknown). */
export interface UntypedRow {
  untyped: string;
}

/**
 * Turns one file's records into SourceRows once its headers are known: a file of one entity maps every
 * row alike; a mixed file maps each row as the entity its type column names.
 */
export class FileRows {
  readonly entity: FileEntity | undefined;
  readonly recognized: Recognized;
  private readonly roles = new Map<Entity, ReturnType<typeof resolveColumns>>();
  private readonly typing: RowTyping | undefined;
  private readonly defaults: Partial<Record<ColumnRole, string>>;
  private readonly rules: RowRules;
  private readonly sink: CleaningSink;
  /** Columns that share a name: a role takes the first of them that is not blank. */
  private readonly sameNames: readonly string[][];
  /** A failures.csv dropped back in. */
  private readonly failures: boolean;

  constructor(
    private readonly file: JobFile,
    readonly headers: string[],
    format: CsvFormat,
    recognition: FileRecognition,
    context: { profile: TargetProfile; rules: RowRules; sink: CleaningSink; sameNames?: string[][] },
  ) {
    const { profile } = context;
    const entity = recognition.entity;
    this.failures = recognition.failures === true;
    const rowTypes: readonly Entity[] = this.failures
      ? [...profile.entities, ...(profile.links ? ['link' as const] : [])]
      : profile.rowTypes;
    this.typing = this.failures
      ? failuresTyping(rowTypes)
      : entity === 'mixed'
        ? rowTyping(headers, profile.rowTypes, file)
        : undefined;
    this.entity = entity === 'mixed' && !this.typing ? undefined : entity;
    const entities: readonly Entity[] = entity === 'mixed' ? rowTypes : entity ? [entity] : [];
    const vendor = recognition.vendorExport;
    const synonyms = vendor ? { synonyms: vendor.synonyms, normalize: vendor.normalize } : undefined;
    // Roles the job's recognition decided (with the other files and the first rows) win; else by name.
    for (const e of entities)
      this.roles.set(e, recognition.roles?.[e] ?? resolveColumns(e, headers, file.columns, synonyms));
    this.defaults = { ...vendor?.defaults, ...file.defaults };
    this.rules = { ...context.rules, valueMaps: mergeMaps(context.rules.valueMaps, file.valueMaps) };
    this.sink = context.sink;
    this.sameNames = context.sameNames ?? [];
    this.recognized = {
      file: file.file,
      vendor: recognition.vendor,
      ...(this.entity ? { entity: this.entity } : {}),
      encoding: format.encoding,
      delimiter: delimiterName(format.delimiter),
      columns: columnsOf(this.roles),
      ...(recognition.mapping ? { mapping: recognition.mapping } : {}),
    };
  }

  map(fileLine: number, fileRaw: Record<string, string>): RowResult | UntypedRow {
    const raw = this.failures ? originalColumns(fileRaw) : fileRaw;
    if (this.failures && fileRaw.job && !this.recognized.failuresOf) this.recognized.failuresOf = fileRaw.job;
    // A row of a failures.csv keeps the place it had in the export it came from, so the report names that.
    const { file, line } = this.failures
      ? originOf(fileRaw, this.file.file, fileLine)
      : { file: this.file.file, line: fileLine };
    if (!this.entity) return { untyped: this.unknownFile() };
    let entity = this.entity;
    let defaults = this.defaults;
    if (entity === 'mixed') {
      const typing = this.typing as RowTyping;
      const value = (fileRaw[typing.column] ?? '').trim();
      const type = typing.typeOf(value);
      if (!type) {
        const where = describePosition({ file, line, column: typing.column });
        return {
          untyped: `${where}: row type '${value}' is not one of ${typing.allowed.join(', ')}; say which in manifest.json typeValues`,
        };
      }
      entity = type.entity as RecordEntity;
      if (type.contactType) defaults = { contact_type: type.contactType, ...this.defaults };
    }
    // One object a row, built whole (not a base spread into another): this runs for every row.
    const input: RowInput = {
      file,
      line,
      raw,
      defaults,
      rules: this.rules,
      sink: this.sink,
      sameNames: this.sameNames,
      entity,
      roles: this.roles.get(entity) ?? {},
    };
    return toSourceRow(input);
  }

  unknownFile(): string {
    return this.file.entity === 'mixed' || this.entity === undefined
      ? `cannot tell what ${this.file.file} holds: name it after its entity (e.g. companies.csv, people.csv, leads.csv), give it a type column, or give its entity in manifest.json`
      : '';
  }
}

/** Where a failures.csv row first came from (its file and line columns), else where it is now. */
function originOf(raw: Record<string, string>, file: string, line: number): { file: string; line: number } {
  const origin = Number(raw.line);
  return raw.file && Number.isInteger(origin) && origin > 0
    ? { file: raw.file, line: origin }
    : { file, line };
}

/** The file's value maps over the job's, field by field. */
function mergeMaps(job: ValueMaps | undefined, file: ValueMaps | undefined): ValueMaps | undefined {
  if (!file) return job;
  const merged: ValueMaps = {};
  for (const field of VOCABULARY_FIELDS) {
    const map = { ...job?.[field], ...file[field] };
    if (Object.keys(map).length) merged[field] = map;
  }
  return merged;
}

/** Header -> field, for the report; a mixed file's columns may serve several entities alike. */
function columnsOf(roles: Map<Entity, Partial<Record<ColumnRole, string>>>): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const byRole of roles.values())
    for (const [role, header] of Object.entries(byRole))
      if (header && !columns[header]) columns[header] = role;
  return columns;
}
