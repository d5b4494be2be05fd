import cliProgress from 'cli-progress';
import type { JobOutcome } from '#domain/job-outcome.ts';
import { formatNotice, formatStageProgress, type Paint, type ProgressFrame, painter } from './format.ts';
import { initialModel, type Notice, reduceEvent, type ViewModel } from './model.ts';
import type { EventLog, ViewedJobState } from './read.ts';
import type { Rate, StageView } from './stage.ts';
import { formatOutcome, formatSummaryTable, type RunSummary } from './summary.ts';

export { formatDuration, formatEta } from './format.ts';
export type { Notice, ViewModel } from './model.ts';
export type { EventLog } from './read.ts';
export { estimateEtaMs, type StageView } from './stage.ts';
export { formatSummaryTable, type RunSummary } from './summary.ts';

export interface ExecutionViewOptions {
  /** Where the view writes (default: stderr, so stdout stays free for the report). */
  out?: NodeJS.WritableStream;
  /** Live bars when true, plain lines when false (default: whether `out` is a terminal). */
  isTTY?: boolean;
  /** ANSI colours (default: on for a terminal unless NO_COLOR is set). */
  color?: boolean;
  /** Clock for events that carry no timestamp, and for the bars' elapsed time and ETA between events. */
  now?: () => number;
  /** The rate the job is paced to: the ETA counts the requests left at it (else the pace seen so far). */
  rate?: Rate;
  /** The terminal's width (default: the stream's columns, else stdout's): a bar never runs past it. */
  columns?: () => number | undefined;
}

/**
 * What a person watching a local import sees: each state as it runs, the waits for the rate limit and
 * why, a progress bar per stage with an ETA, and the failures. Loop iterations are folded into the
 * stage's bar (terminal) or into a progress line at most every 10% or 5 s (CI, pipes).
 */
export class ExecutionView {
  readonly #out: NodeJS.WritableStream;
  readonly #tty: boolean;
  readonly #color: boolean;
  readonly #paint: Paint;
  readonly #now: () => number;
  readonly #rate: Rate | undefined;
  readonly #columns: () => number | undefined;
  #model: ViewModel = initialModel();
  #bars: cliProgress.MultiBar | undefined;
  readonly #stageBars = new Map<string, cliProgress.SingleBar>();

  constructor(options: ExecutionViewOptions = {}) {
    this.#out = options.out ?? process.stderr;
    this.#tty = options.isTTY ?? (this.#out as { isTTY?: boolean }).isTTY === true;
    this.#color = options.color ?? (this.#tty && process.env.NO_COLOR === undefined);
    this.#paint = painter(this.#color);
    this.#now = options.now ?? Date.now;
    this.#rate = options.rate;
    const out = this.#out as { columns?: number };
    this.#columns = options.columns ?? (() => out.columns ?? process.stdout.columns);
  }

  /** The latest JobState a Task returned: its counts and requests feed the summary. */
  get lastJobState(): ViewedJobState | undefined {
    return this.#model.lastJobState;
  }

  get model(): ViewModel {
    return this.#model;
  }

  /** Consumes the events until the iterator ends; never throws on unknown event shapes. */
  async follow(events: AsyncIterable<EventLog>): Promise<void> {
    try {
      for await (const event of events) this.#show(event);
    } finally {
      this.stop();
    }
  }

  /** The terminal's width in columns, when the output is one. */
  get width(): number | undefined {
    return this.#columns();
  }

  /** A line of its own above the execution, e.g. that a job is being resumed. */
  note(text: string): void {
    this.#writeLine(text);
  }

  /** The job's outcome on a line of its own (`up` and `retry`, which print no table). */
  printOutcome(outcome: JobOutcome): void {
    this.stop();
    this.#out.write(`${formatOutcome(outcome, this.#paint)}\n`);
  }

  /** Writes the final summary table below the execution. */
  printSummary(summary: RunSummary): void {
    this.stop();
    this.#out.write(`\n${formatSummaryTable(summary, { color: this.#color })}`);
  }

  /** Stops the bars and restores the terminal (cursor, line wrapping). Safe to call more than once. */
  stop(): void {
    const bars = this.#bars;
    if (!bars) return;
    const unfinished = [...this.#stageBars.keys()].flatMap((key) => {
      const stage = this.#model.stages[key];
      return stage && !stage.finished ? [stage] : [];
    });
    this.#bars = undefined;
    this.#stageBars.clear();
    process.removeListener('SIGINT', this.#onSignal);
    process.removeListener('SIGTERM', this.#onSignal);
    bars.stop();
    // Finished stages have their ✔ line; a stage cut short keeps a line saying how far it got.
    for (const stage of unfinished)
      this.#out.write(`${formatNotice({ kind: 'progress', stage }, this.#paint, this.#frame())}\n`);
  }

  #show(event: unknown): void {
    const { model, notices } = reduceEvent(this.#model, event, this.#now());
    this.#model = model;
    if (this.#tty) this.#syncBars();
    for (const notice of notices) this.#print(notice);
  }

  #print(notice: Notice): void {
    // In a terminal the stage's bar already shows what a progress line would say.
    if (this.#tty && notice.kind === 'progress') return;
    if (notice.kind === 'finished') this.stop();
    this.#writeLine(formatNotice(notice, this.#paint, { rate: this.#rate }));
  }

  #writeLine(line: string): void {
    if (this.#bars?.isActive) {
      this.#bars.log(`${line}\n`);
      this.#bars.update();
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /**
   * The frame a bar is drawn in now (cli-progress redraws the bars several times a second, so elapsed time
   * and a Wait's countdown move while no event comes): one column short of the terminal, which wraps a full
   * line.
   */
  #frame(): ProgressFrame {
    const columns = this.#columns();
    return { now: this.#now(), rate: this.#rate, ...(columns ? { width: columns - 1 } : {}) };
  }

  #syncBars(): void {
    for (const [key, stage] of Object.entries(this.#model.stages)) {
      const bar = this.#stageBars.get(key);
      if (bar) {
        bar.setTotal(stage.total);
        bar.update(stage.done, { stage });
      } else if (stage.total > 0 && !stage.finished) {
        this.#stageBars.set(key, this.#multiBar().create(stage.total, stage.done, { stage }));
      }
    }
  }

  /**
   * Ctrl-C must not leave the cursor hidden. cli-progress's own handler swallows the signal, so the
   * view restores the terminal and, unless the CLI listens for the signal itself, raises it again.
   */
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.stop();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  #multiBar(): cliProgress.MultiBar {
    if (this.#bars) return this.#bars;
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
    const paint = this.#paint;
    this.#bars = new cliProgress.MultiBar({
      stream: this.#out,
      format: (options, params, payload: { stage: StageView }) =>
        formatStageProgress(
          payload.stage,
          paint,
          cliProgress.Format.BarFormat(params.progress, options),
          this.#frame(),
        ),
      barsize: 20,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      // A line logged above the bars moves them down: unchanged bars must be redrawn too.
      forceRedraw: true,
      hideCursor: true,
      linewrap: false,
      // cli-progress trims its last frame to the width counting colour codes: clear it instead.
      clearOnComplete: true,
      gracefulExit: false,
    });
    return this.#bars;
  }
}
