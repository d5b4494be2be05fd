import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A sandbox's records kept on disk, so the local target remembers across runs as a real API does: every
 * change is one appended JSON line, written before the answer goes out (a process killed mid-run keeps
 * every record it answered for). Opening replays the lines; the first line names the store's generation,
 * which changes only when the file is started afresh.
 */
export class Journal<Change> {
  readonly generation: string;
  readonly changes: Change[];

  private constructor(
    private readonly path: string,
    generation: string,
    changes: Change[],
  ) {
    this.generation = generation;
    this.changes = changes;
  }

  static open<Change>(path: string): Journal<Change> {
    if (!existsSync(path)) {
      const generation = randomUUID();
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify({ generation })}\n`);
      return new Journal<Change>(path, generation, []);
    }
    const text = readFileSync(path, 'utf8');
    // A line cut short by a killed process: end it, so the next change starts a line of its own.
    if (!text.endsWith('\n')) appendFileSync(path, '\n');
    const lines = text.split('\n');
    const head = JSON.parse(lines[0] ?? '{}') as { generation?: unknown };
    if (typeof head.generation !== 'string') throw new Error(`${path}: not a sandbox journal`);
    const changes: Change[] = [];
    for (const line of lines.slice(1)) {
      if (!line) continue;
      try {
        changes.push(JSON.parse(line) as Change);
      } catch {
        // That cut line: its request was never answered.
      }
    }
    return new Journal<Change>(path, head.generation, changes);
  }

  append(change: Change): void {
    appendFileSync(this.path, `${JSON.stringify(change)}\n`);
  }

  /** Writes the store as it is now in place of its history (same generation), when the history is long. */
  compact(current: Change[]): void {
    if (this.changes.length <= 2 * current.length + 100) return;
    const tmp = `${this.path}.tmp`;
    writeFileSync(
      tmp,
      [JSON.stringify({ generation: this.generation }), ...current.map((c) => JSON.stringify(c)), ''].join(
        '\n',
      ),
    );
    renameSync(tmp, this.path);
  }
}
