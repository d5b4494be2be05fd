import { describe, expect, it } from 'vitest';
import { ENTITIES } from '#domain/entities.ts';
import {
  afterPass,
  afterSplitPass,
  DEFAULT_MAX_HISTORY_EVENTS,
  firstExecutionHistory,
  HISTORY_CAP,
  HISTORY_EVENTS,
  PASS_EVENTS,
} from '#domain/execution-history.ts';

describe('Execution history count', () => {
  it('starts a first execution with its start and split counted', () => {
    // Act
    const history = firstExecutionHistory(500);

    // Assess: ExecutionStarted, the resume Choice in and out, split's five Task events, its Choice
    expect(history).toEqual({ events: 10, limit: 500, execution: 1 });
  });

  it('counts each further split pass as a Task and a Choice, from where the execution stood', () => {
    // Prepare
    const resumed = { events: 3, limit: 500, execution: 2 };

    // Act
    const first = afterSplitPass(undefined, 500);
    const second = afterSplitPass(first);
    const inSuccessor = afterSplitPass(resumed);

    // Assess
    expect(second).toEqual({ events: 17, limit: 500, execution: 1 });
    expect(inSuccessor).toEqual({ events: 10, limit: 500, execution: 2 });
  });

  it('counts a pass that goes round again as Task, Choice and Wait, a finishing pass without the Wait', () => {
    // Prepare
    const history = firstExecutionHistory();

    // Act
    const again = afterPass(history, false);
    const finished = afterPass(again, true);

    // Assess
    expect(PASS_EVENTS).toBe(9);
    expect(again.events).toBe(history.events + 9);
    expect(finished.events).toBe(again.events + 7);
    expect(finished).toMatchObject({ limit: history.limit, execution: 1 });
  });

  it('leaves room under the cap for everything that can follow the last check', () => {
    // Prepare: the check lets through a count one short of the limit, the Wait and one more pass follow,
    // then every stage finds nothing left in a row, and the report fails and is caught
    const lastPass = HISTORY_EVENTS.wait + PASS_EVENTS;
    const everyStageDone = (ENTITIES.length + 1) * (HISTORY_EVENTS.task + HISTORY_EVENTS.choice);
    const handOver = HISTORY_EVENTS.pass + HISTORY_EVENTS.task + HISTORY_EVENTS.end;
    const failureReport = HISTORY_EVENTS.task * 2 + 2;

    // Act
    const worst = DEFAULT_MAX_HISTORY_EVENTS - 1 + lastPass + everyStageDone + handOver + failureReport;

    // Assess
    expect(worst).toBeLessThan(HISTORY_CAP);
    expect(DEFAULT_MAX_HISTORY_EVENTS).toBe(24_000);
  });
});
