import { resolveColumns } from '#domain/columns.ts';
import type { Entity, RecordEntity } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { type RowTyping, rowTyping } from '#domain/row-types.ts';
import { type RowInput, type RowResult, toSourceRow } from '#domain/rows.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import type { FileEntity, JobFile } from './job-files.ts';

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
  private readonly roles = new Map<Entity, ReturnType<typeof resolveColumns>>();
  private readonly typing: RowTyping | undefined;

  constructor(
    private readonly file: JobFile,
    headers: string[],
    entity: FileEntity | undefined,
    profile: TargetProfile,
  ) {
    this.typing = entity === 'mixed' ? rowTyping(headers, profile.rowTypes, file) : undefined;
    this.entity = entity === 'mixed' && !this.typing ? undefined : entity;
    const entities: readonly Entity[] = entity === 'mixed' ? profile.rowTypes : entity ? [entity] : [];
    for (const e of entities) this.roles.set(e, resolveColumns(e, headers, file.columns));
  }

  map(line: number, raw: Record<string, string>): RowResult | UntypedRow {
    const base = {
      file: this.file.file,
      line,
      raw,
      defaults: this.file.defaults,
    } satisfies Partial<RowInput>;
    if (!this.entity) return { untyped: this.unknownFile() };
    if (this.entity !== 'mixed')
      return toSourceRow({ ...base, entity: this.entity, roles: this.roles.get(this.entity) ?? {} });
    const typing = this.typing as RowTyping;
    const value = (raw[typing.column] ?? '').trim();
    const type = typing.typeOf(value);
    if (!type) {
      const where = describePosition({ file: this.file.file, line, column: typing.column });
      return {
        untyped: `${where}: row type '${value}' is not one of ${typing.allowed.join(', ')}; say which in manifest.json typeValues`,
      };
    }
    const defaults = type.contactType
      ? { contact_type: type.contactType, ...this.file.defaults }
      : this.file.defaults;
    return toSourceRow({
      ...base,
      defaults,
      entity: type.entity as RecordEntity,
      roles: this.roles.get(type.entity) ?? {},
    });
  }

  unknownFile(): string {
    return this.file.entity === 'mixed' || this.entity === undefined
      ? `cannot tell what ${this.file.file} holds: name it after its entity (e.g. companies.csv, people.csv, leads.csv), give it a type column, or give its entity in manifest.json`
      : '';
  }
}
