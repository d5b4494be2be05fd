import type { CleaningLog, Recognized } from '#domain/cleaning.ts';
import type { Entity } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { junkReason } from '#domain/junk.ts';
import type { RowRules } from '#domain/rows.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import { FileRows } from './file-rows.ts';
import { type FileEntity, type JobFile, recognizeFile } from './job-files.ts';
import { type CsvFormat, type CsvRecord, readCsv } from './read-csv.ts';
import type { FileTally, RowFlow } from './row-flow.ts';

export interface FileSummary extends FileTally {
  entity?: FileEntity;
  blank: number;
  /** A problem with the file as a whole (unknown entity, unreadable): its rows could not be imported. */
  error?: string;
}

export interface SplitFileContext {
  profile: TargetProfile;
  rules: RowRules;
  flow: RowFlow;
  log: CleaningLog;
  /** Data rows still to take before the job's limit (Infinity without one). */
  left: { rows: number };
}

/** Stream one file: recognise it, drop blank and junk rows, map and validate the rest into the flow. */
export async function splitFile(
  store: ObjectStore,
  file: JobFile,
  ctx: SplitFileContext,
): Promise<{ summary: FileSummary; recognized?: Recognized }> {
  const summary: FileSummary = { file: file.file, rows: 0, blank: 0, failed: 0, merged: 0 };
  const { flow, log } = ctx;
  let rows: FileRows | undefined;
  let format: CsvFormat | undefined;
  const fileEntity = (): Entity | undefined =>
    rows?.entity && rows.entity !== 'mixed' ? rows.entity : undefined;
  try {
    const records = readCsv(
      await store.getStream(file.key),
      (headers, read) => {
        format = read;
        const recognition = recognizeFile(file, headers, ctx.profile);
        rows = new FileRows(file, headers, read, recognition, { ...ctx, sink: log });
      },
      (problem) => {
        const where = problem.line ? describePosition({ file: file.file, line: problem.line }) : file.file;
        const failure = { file: file.file, line: problem.line, code: 'MALFORMED_FILE' as const, raw: {} };
        if (problem.line)
          flow.fail(fileEntity(), { ...failure, message: `${where}: ${problem.message}` }, summary);
        else log.warn({ file: file.file, line: 0, message: problem.message });
      },
    );
    for await (const record of records) {
      if (ctx.left.rows <= 0) break;
      if (!keep(record, file, log, summary)) continue;
      ctx.left.rows -= 1;
      await takeRecord(record, rows as FileRows, summary, flow);
    }
  } catch (error) {
    summary.error = `could not be read: ${(error as Error).message}`;
    flow.fail(
      fileEntity(),
      {
        file: file.file,
        line: 0,
        code: 'MALFORMED_FILE',
        message: `${file.file}: ${summary.error}`,
        raw: {},
      },
      summary,
    );
  }
  if (rows && format) {
    // The encoding can change after the header: Windows-1252 shows at its first accented letter.
    rows.recognized.encoding = format.encoding;
    if (format.encoding === 'windows-1252')
      log.warn({ file: file.file, line: 0, message: 'not UTF-8: read as Windows-1252' });
  }
  if (rows && !rows.entity && !summary.error) summary.error = rows.unknownFile();
  summary.entity = rows?.entity;
  return { summary, recognized: rows?.recognized };
}

/** Blank and junk rows are not data: they are counted (junk with a warning) and go no further. */
function keep(record: CsvRecord, file: JobFile, log: CleaningLog, summary: FileSummary): boolean {
  const values = Object.values(record.values);
  if (!record.extra.length && values.every((v) => v.trim() === '')) {
    summary.blank += 1;
    log.count('blankRows');
    return false;
  }
  const junk = record.extra.length ? undefined : junkReason(record.values);
  if (junk) {
    log.count('junkRows');
    log.warn({ file: file.file, line: record.line, message: `dropped: the row ${junk}` });
    return false;
  }
  log.count('trimmed', values.filter((v) => v !== v.trim() && v.trim() !== '').length);
  if (record.short) log.count('shortRows');
  return true;
}

async function takeRecord(record: CsvRecord, rows: FileRows, summary: FileSummary, flow: RowFlow) {
  const at = { file: summary.file, line: record.line };
  const entity = rows.entity && rows.entity !== 'mixed' ? rows.entity : undefined;
  if (record.extra.length) {
    // Too many fields: a value with an unquoted separator shifted the row, so no column can be trusted.
    const fields = Object.keys(record.values).length + record.extra.length;
    const raw = { ...record.values };
    record.extra.forEach((value, i) => {
      raw[`(extra field ${i + 1})`] = value;
    });
    const message = `${describePosition(at)}: ${fields} fields, but the header has ${Object.keys(record.values).length}; quote values that contain the separator`;
    flow.fail(entity, { ...at, code: 'MALFORMED_FILE', message, raw }, summary);
    return;
  }
  const mapped = rows.map(record.line, record.values);
  if ('untyped' in mapped) {
    flow.fail(
      undefined,
      { ...at, code: 'UNKNOWN_ENTITY', message: mapped.untyped, raw: record.values },
      summary,
    );
  } else if (!mapped.ok) {
    const { failure } = mapped;
    flow.fail(
      failure.entity,
      { ...failure, message: `${describePosition(failure)}: ${failure.message}` },
      summary,
    );
  } else {
    await flow.accept(mapped.row, mapped.associations, summary);
  }
}
