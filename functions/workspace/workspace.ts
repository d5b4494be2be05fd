import type { PipelineDeps } from '#commons/pipeline.ts';
import { afterPass } from '#domain/execution-history.ts';
import type { JobState } from '#domain/job-state.ts';
import {
  DEFAULT_LEASE_SECONDS,
  nextLookSeconds,
  type WorkspaceCursor,
  waitingReason,
  workspaceCursorSchema,
} from '#domain/workspace-lease.ts';

/**
 * Takes the workspace's lease for this job, or says who holds it and when to look again. The job's first
 * request to the target (its dedupe snapshot) comes after this, so it sees whatever the holder created.
 */
export async function takeWorkspace(state: JobState, deps: PipelineDeps): Promise<JobState> {
  const now = deps.clock();
  const cursor: WorkspaceCursor =
    state.stage === 'workspace'
      ? workspaceCursorSchema.parse(state.cursor)
      : { kind: 'workspace', since: now, looks: 0 };
  cursor.looks += 1;
  const leaseMs = (deps.config.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  const workspace = await deps.workspaceFingerprint();
  const answer = await deps.coordinator.takeLease(workspace, state.jobId, now, now + leaseMs);
  const waited = Math.round((now - cursor.since) / 1000);
  if (answer.held) {
    deps.logger?.info('workspace taken', { jobId: state.jobId, waitedSeconds: waited });
    return {
      ...state,
      stage: 'workspace',
      holdsWorkspace: true,
      done: true,
      wait: { seconds: 0, reason: '' },
      cursor: { ...cursor },
      progress: {
        stage: 'workspace',
        step: cursor.looks > 1 ? `free after ${waited} s` : 'free',
        // Not rows: the view shows the step, without a bar.
        done: 0,
        total: 0,
      },
      history: afterPass(state.history, true),
    };
  }
  const { holder, expiresAt } = answer.lease;
  const seconds = nextLookSeconds(now - cursor.since, expiresAt - now);
  return {
    ...state,
    stage: 'workspace',
    done: false,
    wait: { seconds, reason: waitingReason(holder) },
    cursor: { ...cursor },
    progress: {
      stage: 'workspace',
      step: `${waited ? `waited ${waited} s, ` : ''}${waitingReason(holder)}`,
      done: 0,
      total: 0,
    },
    history: afterPass(state.history, false),
  };
}
