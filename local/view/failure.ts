import type { ActiveState, Reduced, ViewModel } from './model.ts';
import { type ErrorView, isRecord, type StateData } from './read.ts';

/**
 * A failed attempt, its retries and its catch, as the interpreter reports them: Entered, Failed,
 * (Retried, Failed)..., then Caught and an Exited that is not a success.
 */
const activeOrNew = (model: ViewModel, state: StateData, at: number): ActiveState =>
  model.active[state.name] ?? { type: state.type, enteredAt: at, attemptAt: at, failed: false };

export const failed = (model: ViewModel, state: StateData, at: number, error: ErrorView): Reduced => {
  const active = activeOrNew(model, state, at);
  const next = { ...model, active: { ...model.active, [state.name]: { ...active, failed: true, error } } };
  // A Fail state is how the machine ends: the execution's own failure line says it once.
  if (state.type === 'Fail') return { model: next, notices: [] };
  return {
    model: next,
    notices: [{ kind: 'failed', name: state.name, durationMs: at - active.attemptAt, error }],
  };
};

export const retried = (model: ViewModel, state: StateData, at: number, retry: unknown): Reduced => {
  const active = activeOrNew(model, state, at);
  const retrier = isRecord(retry) && isRecord(retry.retrier) ? retry.retrier : {};
  const attempt = isRecord(retry) && typeof retry.attempt === 'number' ? retry.attempt : 1;
  const maxAttempts = typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : 3;
  return {
    model: {
      ...model,
      active: { ...model.active, [state.name]: { ...active, failed: false, attemptAt: at } },
    },
    notices: [{ kind: 'retried', name: state.name, attempt, maxAttempts }],
  };
};

export const caught = (model: ViewModel, state: StateData, caughtBy: unknown): Reduced => {
  const catcher = isRecord(caughtBy) && isRecord(caughtBy.catcher) ? caughtBy.catcher : {};
  const next = typeof catcher.Next === 'string' ? catcher.Next : undefined;
  return { model, notices: [{ kind: 'caught', name: state.name, next }] };
};
