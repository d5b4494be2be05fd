import { styleText } from 'node:util';
import type { Notice } from './model.ts';
import { type Rate, type StageView, stageEtaMs } from './stage.ts';

type Style = Parameters<typeof styleText>[0];
export type Paint = (style: Style, text: string) => string;

/** Colour is decided once by the view (TTY, NO_COLOR, the option), so the stream is not re-checked. */
export const painter = (color: boolean): Paint =>
  color ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;

export const formatDuration = (ms: number): string => {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)}s`;
  const seconds = Math.round(safe / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad2(seconds % 60)}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${pad2(minutes % 60)}m`;
};

/** Whole seconds, rounded up: an ETA of "0s" while rows remain would be a lie. */
export const formatEta = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad2(seconds % 60)}s`;
  const minutes = Math.ceil(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${pad2(minutes % 60)}m`;
};

const pad2 = (n: number) => String(n).padStart(2, '0');

export const textBar = (done: number, total: number, width = 20): string => {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
};

const percent = (stage: StageView) => (stage.total > 0 ? Math.floor((stage.done / stage.total) * 100) : 0);

/**
 * Stages whose progress counts something other than rows (dedupe: its checks and pages; the workspace:
 * its lease): their count would read as rows, so it is not shown; their bar still moves.
 */
const NOT_ROWS = new Set(['dedupe', 'workspace']);

const rowsOf = (stage: StageView) => (NOT_ROWS.has(stage.label) ? '' : `${stage.done}/${stage.total} rows`);

const waited = (stage: StageView) =>
  stage.waits > 0
    ? `waited ${formatDuration(stage.waitedMs)} in ${stage.waits} wait${stage.waits === 1 ? '' : 's'}`
    : '';

/** When and where a progress line is drawn: the clock (elapsed ticks while nothing happens), the rate, the width. */
export interface ProgressFrame {
  now?: number;
  rate?: Rate;
  /** The terminal's columns: the line is cut to fit (its activity first), never wrapped. */
  width?: number;
}

/** What the stage is doing: its step, or the Wait it is in with the seconds left and why. */
const activityOf = (stage: StageView, now: number): string => {
  if (!stage.wait) return stage.activity;
  const left = Math.max(0, Math.ceil((stage.wait.until - now) / 1000));
  return `⏳ ${left}s${stage.wait.reason ? ` — ${stage.wait.reason}` : ''}`;
};

/** One stage's progress: a plain-text line, or the body of a cli-progress bar (which passes its bar). */
export const formatStageProgress = (
  stage: StageView,
  paint: Paint,
  bar?: string,
  frame: ProgressFrame = {},
): string => {
  const now = stage.finished ? stage.updatedAt : Math.max(frame.now ?? stage.updatedAt, stage.updatedAt);
  const label = paint('bold', stage.label.padEnd(9));
  const elapsed = `elapsed ${formatDuration(now - stage.startedAt)}`;
  const activity = stage.finished ? paint('green', 'done') : activityOf(stage, now);
  if (stage.total <= 0) return fitLine([label, elapsed], [], activity, frame.width);
  const eta = `ETA ${stage.finished ? '0s' : formatEta(stageEtaMs(stage, now, frame.rate))}`;
  const counts = [rowsOf(stage).padStart(15), `${percent(stage)}%`.padStart(4)].filter((p) => p.trim());
  // What a narrow terminal gives up first, after the activity: the bar, then the elapsed time.
  const head = [label, bar ?? textBar(stage.done, stage.total), ...counts, elapsed, eta];
  return fitLine(head, [1, head.length - 2], activity, frame.width);
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is measured out
const ANSI = /\u001b\[[0-9;]*m/g;
/** The hourglass takes two columns in a terminal (East Asian Wide); the other marks and bars take one. */
const WIDE = /⏳/g;
const visible = (text: string) => {
  const plain = text.replace(ANSI, '');
  return plain.length + (plain.match(WIDE)?.length ?? 0);
};

/**
 * The parts of a line and what it is doing, within `width` columns: the activity is cut first (with an
 * ellipsis); when even a few words of it do not fit, the parts at `optional` are left out in that order to
 * make room. The numbers stay.
 */
export function fitLine(parts: string[], optional: number[], activity: string, width?: number): string {
  const join = (kept: string[]) => kept.filter(Boolean).join('  ');
  const full = join([...parts, activity]);
  if (!width || visible(full) <= width) return full;
  const kept = [...parts];
  for (let i = 0; ; i++) {
    const head = join(kept);
    const room = width - visible(head) - 3;
    if (activity && room >= 8) {
      const plain = activity.replace(ANSI, '');
      return `${head}  ${plain.slice(0, room - (plain.slice(0, room).match(WIDE)?.length ?? 0))}…`;
    }
    const drop = optional[i];
    if (drop !== undefined) {
      kept[drop] = '';
      continue;
    }
    return visible(head) <= width ? head : `${head.replace(ANSI, '').slice(0, width - 1)}…`;
  }
}

/**
 * A note wrapped at word boundaries to `width` columns, its later lines indented by `indent` spaces, so a
 * terminal never breaks it mid-word. A word longer than the line is left whole on a line of its own.
 */
export function wrapWords(text: string, width?: number, indent = 2): string[] {
  if (!width || visible(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && visible(next) > width) {
      lines.push(line);
      line = `${' '.repeat(indent)}${word}`;
    } else line = next;
  }
  if (line.trim()) lines.push(line);
  return lines;
}

const stageDetail = (stage: StageView) =>
  `${stage.label}: ${stage.step}${stage.total > 0 && rowsOf(stage) ? ` (${rowsOf(stage)})` : ''}`;

const describeError = (error: { error: string; cause: string }) =>
  error.cause ? `${error.error}: ${error.cause}` : error.error;

export const formatNotice = (notice: Notice, paint: Paint, frame: ProgressFrame = {}): string => {
  switch (notice.kind) {
    case 'started':
      if (notice.execution)
        return `${paint('cyan', '▶')} Import ${notice.jobId ?? ''} carries on in execution ${notice.execution}`;
      return `${paint('cyan', '▶')} Import ${notice.jobId ?? ''}${notice.source ? `  ${notice.source}` : ''}`;
    case 'continued': {
      const limit = notice.limit ? ` (${notice.limit} events)` : '';
      return `${paint('cyan', '↪')} Execution history nearly full${limit}: continuing in ${notice.execution}`;
    }
    case 'state': {
      if (notice.type !== 'Task')
        return paint('dim', `· ${notice.name}  ${formatDuration(notice.durationMs)}`);
      const detail = notice.stage ? `  ${paint('dim', stageDetail(notice.stage))}` : '';
      return `${paint('green', '✔')} ${notice.name}  ${formatDuration(notice.durationMs)}${detail}`;
    }
    case 'wait':
      return `${paint('yellow', '⏳')} ${notice.name}  ${notice.seconds}s${notice.reason ? ` — ${notice.reason}` : ''}`;
    case 'failed':
      return paint(
        'red',
        `✖ ${notice.name}  ${formatDuration(notice.durationMs)}  ${describeError(notice.error)}`,
      );
    case 'retried':
      return `${paint('yellow', '↻')} ${notice.name}  retry ${notice.attempt} of ${notice.maxAttempts}`;
    case 'caught':
      return `${paint('yellow', '↪')} ${notice.name}  error caught${notice.next ? ` → ${notice.next}` : ''}`;
    case 'progress':
      return `  ${paint('cyan', '▸')} ${formatStageProgress(notice.stage, paint, undefined, frame)}`;
    case 'stage-done':
      return formatStageDone(notice, paint);
    case 'finished':
      return formatFinished(notice, paint);
  }
};

const formatStageDone = (notice: Extract<Notice, { kind: 'stage-done' }>, paint: Paint): string => {
  const { stage } = notice;
  const elapsed = formatDuration(stage ? stage.updatedAt - stage.startedAt : notice.busyMs);
  const parts = [
    `${notice.runs} runs in ${elapsed}`,
    stage && stage.total > 0 ? rowsOf(stage) : '',
    stage ? waited(stage) : '',
  ];
  return `${paint('green', '✔')} ${notice.name}  ${parts.filter(Boolean).join('  ')}`;
};

/**
 * The execution's end. It ran through or it stopped; whether the rows went in is the report's to say (the
 * outcome line under the summary), so a run whose rows failed never reads "succeeded" here.
 */
const formatFinished = (notice: Extract<Notice, { kind: 'finished' }>, paint: Paint): string => {
  const name = `Import${notice.jobId ? ` ${notice.jobId}` : ''}`;
  const elapsed = formatDuration(notice.elapsedMs);
  if (notice.status === 'succeeded') return `${paint('cyan', '■')} ${name} ran to the end in ${elapsed}`;
  const error = notice.error ? `  ${describeError(notice.error)}` : '';
  const how = notice.status === 'failed' ? 'stopped' : notice.status;
  return paint('red', `✖ ${name} ${how} after ${elapsed}${error}`);
};
