import { styleText } from 'node:util';
import type { Notice } from './model.ts';
import { type StageView, stageEtaMs } from './stage.ts';

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

const rowsOf = (stage: StageView) => `${stage.done}/${stage.total} rows`;

const waited = (stage: StageView) =>
  stage.waits > 0
    ? `waited ${formatDuration(stage.waitedMs)} in ${stage.waits} wait${stage.waits === 1 ? '' : 's'}`
    : '';

/** One stage's progress: a plain-text line, or the body of a cli-progress bar (which passes its bar). */
export const formatStageProgress = (stage: StageView, paint: Paint, bar?: string): string => {
  const parts =
    stage.total > 0
      ? [
          paint('bold', stage.label.padEnd(9)),
          bar ?? textBar(stage.done, stage.total),
          rowsOf(stage).padStart(15),
          `${percent(stage)}%`.padStart(4),
          `elapsed ${formatDuration(stage.updatedAt - stage.startedAt)}`,
          `ETA ${stage.finished ? '0s' : formatEta(stageEtaMs(stage))}`,
          stage.finished ? paint('green', 'done') : stage.activity,
        ]
      : [
          paint('bold', stage.label.padEnd(9)),
          stage.activity,
          `elapsed ${formatDuration(stage.updatedAt - stage.startedAt)}`,
        ];
  return parts.filter(Boolean).join('  ');
};

const stageDetail = (stage: StageView) =>
  `${stage.label}: ${stage.step}${stage.total > 0 ? ` (${rowsOf(stage)})` : ''}`;

const describeError = (error: { error: string; cause: string }) =>
  error.cause ? `${error.error}: ${error.cause}` : error.error;

export const formatNotice = (notice: Notice, paint: Paint): string => {
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
      return `  ${paint('cyan', '▸')} ${formatStageProgress(notice.stage, paint)}`;
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

const formatFinished = (notice: Extract<Notice, { kind: 'finished' }>, paint: Paint): string => {
  const name = `Import${notice.jobId ? ` ${notice.jobId}` : ''}`;
  const elapsed = formatDuration(notice.elapsedMs);
  if (notice.status === 'succeeded') return paint('green', `✔ ${name} succeeded in ${elapsed}`);
  const error = notice.error ? `  ${describeError(notice.error)}` : '';
  return paint('red', `✖ ${name} ${notice.status} after ${elapsed}${error}`);
};
