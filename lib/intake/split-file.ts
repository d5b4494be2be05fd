import {
  copyTextState,
  encodingName,
  newTextState,
  type TextState,
  windows1252Warning,
} from '#csv/decode.ts';
import { NotCsvError } from '#csv/plain-bytes.ts';
import {
  type CsvFormat,
  type CsvPosition,
  type CsvRecord,
  type CsvStart,
  readCsvBatches,
} from '#csv/read-csv.ts';
import type { CleaningLog, Recognized } from '#domain/cleaning.ts';
import type { Entity } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { junkReason } from '#domain/junk.ts';
import type { FileSummary } from '#domain/plan.ts';
import type { RowRules } from '#domain/rows.ts';
import type { Delimiter } from '#domain/text-format.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import { FileRows } from './file-rows.ts';
import { type JobFile, recognizeFile } from './job-files.ts';
import { removeControlCharacters, sameNameWarnings } from './record-hygiene.ts';
import type { RowFlow } from './row-flow.ts';

export interface SplitFileContext {
  profile: TargetProfile;
  rules: RowRules;
  flow: RowFlow;
  log: CleaningLog;
  /** Data rows still to take before the job's limit (Infinity without one). */
  left: { rows: number };
  /** Called after each record: whether the invocation must stop there and hand back a cursor. */
  mustStop: () => boolean;
}

/** Where a file's split stopped for time: what the next invocation needs to carry on with it. */
export interface FileCursor {
  at: CsvPosition;
  headers: string[];
  /** Columns that share a name (`Email`, `Email (2)`). */
  sameNames?: string[][];
  delimiter: Delimiter;
  text: TextState;
  /** The object read: a file replaced since is refused rather than read from the wrong byte. */
  etag?: string;
  summary: FileSummary;
  /** Whole-file warnings already given (read from the top again, the file would give them twice). */
  warned: string[];
  failuresOf?: string;
}

export interface SplitFileResult {
  summary: FileSummary;
  recognized?: Recognized;
  /** Set when the file is not finished: the invocation ran out of time. */
  stopped?: FileCursor;
}

/**
 * Stream one file, from its top or from where an earlier invocation stopped: recognise it, drop blank
 * and junk rows, map and validate the rest into the flow; stop between two records when out of time.
 */
export async function splitFile(
  store: ObjectStore,
  file: JobFile,
  ctx: SplitFileContext,
  from?: FileCursor,
): Promise<SplitFileResult> {
  const summary: FileSummary = from?.summary ?? { file: file.file, rows: 0, blank: 0, failed: 0, merged: 0 };
  const { flow, log } = ctx;
  const warned = [...(from?.warned ?? [])];
  let rows: FileRows | undefined;
  let format: CsvFormat | undefined;
  let sameNames: string[][] = [];
  let stopped: FileCursor | undefined;
  const fileEntity = (): Entity | undefined =>
    rows?.entity && rows.entity !== 'mixed' ? rows.entity : undefined;
  const start = startOf(from);
  const text = start.from === 'offset' ? copyTextState(start.text) : newTextState();
  try {
    const { body, etag } = await store.openStream(file.key, {
      from: start.from === 'offset' ? (start.at.offset as number) : 0,
      ifMatch: from?.etag,
    });
    const batches = readCsvBatches(
      body,
      (headers, read, header) => {
        format = read;
        sameNames = header.sameNames;
        for (const warning of sameNameWarnings(file.file, headers, header)) {
          if (warned.includes(warning.message)) continue;
          warned.push(warning.message);
          log.warn(warning);
        }
        const recognition = file.recognition ?? recognizeFile(file, headers, ctx.profile);
        rows = new FileRows(file, headers, read, recognition, { ...ctx, sink: log, sameNames });
        if (from?.failuresOf) rows.recognized.failuresOf ??= from.failuresOf;
      },
      (problem) => {
        const where = problem.line ? describePosition({ file: file.file, line: problem.line }) : file.file;
        const failure = { file: file.file, line: problem.line, code: 'MALFORMED_FILE' as const, raw: {} };
        if (problem.line)
          flow.fail(fileEntity(), { ...failure, message: `${where}: ${problem.message}` }, summary);
        else if (!warned.includes(problem.message)) {
          warned.push(problem.message);
          log.warn({ file: file.file, line: 0, message: problem.message, kind: 'file' });
        }
      },
      start,
      text,
    );
    // Records are taken a batch at a time and each one synchronously: a row waits only for a part write.
    reading: for await (const records of batches) {
      for (const record of records) {
        if (ctx.left.rows <= 0) break reading;
        removeControlCharacters(record, file.file, log);
        if (keep(record, file, log, summary)) {
          ctx.left.rows -= 1;
          takeRecord(record, rows as FileRows, summary, flow);
        }
        if (flow.mustSettle) await flow.settle();
        if (!ctx.mustStop()) continue;
        const read = rows as FileRows;
        stopped = {
          at: record.next,
          headers: read.headers,
          ...(sameNames.length ? { sameNames } : {}),
          delimiter: (format as CsvFormat).delimiter,
          text: copyTextState(text),
          etag,
          summary,
          warned,
          ...(read.recognized.failuresOf ? { failuresOf: read.recognized.failuresOf } : {}),
        };
        break reading;
      }
    }
  } catch (error) {
    // The whole file is one failed row: the report accounts for it, and the job's other files go on.
    const notCsv = error instanceof NotCsvError;
    summary.error = notCsv
      ? error.message.replace(/^is /, '')
      : `could not be read: ${(error as Error).message}`;
    flow.fail(
      fileEntity(),
      {
        file: file.file,
        line: 0,
        code: notCsv ? 'NOT_CSV' : 'MALFORMED_FILE',
        message: notCsv ? error.of(file.file) : `${file.file}: ${summary.error}`,
        raw: {},
      },
      summary,
    );
  }
  if (stopped) return { summary, stopped };
  if (rows && format) {
    // The encoding can change after the header: Windows-1252 shows at its first accented letter.
    rows.recognized.encoding = encodingName(text);
    const windows1252 = windows1252Warning(text);
    if (windows1252) log.warn({ file: file.file, ...windows1252, kind: 'file' });
  }
  if (rows && !rows.entity && !summary.error) summary.error = rows.unknownFile();
  summary.entity = rows?.entity;
  return { summary, recognized: rows?.recognized };
}

/** How a file is read: from the top, from the byte its next record starts at, or past lines already read. */
function startOf(from: FileCursor | undefined): CsvStart {
  if (!from) return { from: 'top' };
  if (from.at.offset === null) return { from: 'line', at: from.at };
  const { at, headers, sameNames, delimiter, text } = from;
  return { from: 'offset', at, headers, ...(sameNames ? { sameNames } : {}), delimiter, text };
}

/** Blank and junk rows are not data: they are counted (junk with a warning) and go no further. */
function keep(record: CsvRecord, file: JobFile, log: CleaningLog, summary: FileSummary): boolean {
  let filled = false;
  let trimmed = 0;
  for (const column in record.values) {
    const value = record.values[column] as string;
    const text = value.trim();
    if (text === '') continue;
    filled = true;
    if (text !== value) trimmed += 1;
  }
  if (!record.extra.length && !filled) {
    summary.blank += 1;
    log.count('blankRows');
    return false;
  }
  const junk = record.extra.length ? undefined : junkReason(record.values);
  if (junk) {
    log.count('junkRows');
    log.warn({ file: file.file, line: record.line, message: `dropped: the row ${junk}`, kind: 'junk row' });
    return false;
  }
  log.count('trimmed', trimmed);
  if (record.short) log.count('shortRows');
  return true;
}

function takeRecord(record: CsvRecord, rows: FileRows, summary: FileSummary, flow: RowFlow): void {
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
    flow.accept(mapped.row, mapped.associations, summary);
  }
}
