import { HISTORY_EVENTS } from '#domain/execution-history.ts';
import type { EventLog } from './read.ts';

/** What a Task attempt adds between its Entered and Exited events: Scheduled, Started, Succeeded|Failed. */
const TASK_ATTEMPT = HISTORY_EVENTS.task - 2;

/**
 * How many events the history of an execution on AWS would hold for what the local interpreter logged:
 * the interpreter logs each state's entry and exit, and the execution's start and end, as AWS does; a
 * Task's Scheduled/Started/Succeeded it does not log, so they are added per attempt (a retry is one more).
 */
export function historyEventCount(log: Iterable<EventLog>): number {
  let events = 0;
  for (const event of log) {
    switch (event.type) {
      case 'StateEntered':
        events += 1;
        break;
      case 'StateExited':
        events += event.state.type === 'Task' ? 1 + TASK_ATTEMPT : 1;
        break;
      case 'StateRetried':
        events += TASK_ATTEMPT;
        break;
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
        events += 1;
        break;
      default:
        break;
    }
  }
  return events;
}

/** Collects an execution's events as it runs (the interpreter hands them out once). */
export async function collectEvents(events: AsyncIterable<EventLog>): Promise<EventLog[]> {
  const log: EventLog[] = [];
  for await (const event of events) log.push(event);
  return log;
}
