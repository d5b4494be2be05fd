import { JobError } from '#domain/errors.ts';
import type { JobState } from '#domain/job-state.ts';
import { DEFAULT_LEASE_SECONDS } from '#domain/workspace-lease.ts';
import type { PipelineDeps } from './pipeline.ts';

const leaseMs = (deps: PipelineDeps) => (deps.config.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;

/**
 * Renews the job's lease on its workspace until `extraMs` past the lease's own length from now, or takes it
 * again if it ran out and no one took it. If another job holds it now, this one stops before sending
 * anything: two jobs writing at once is how duplicates happen.
 */
export async function renewWorkspace(state: JobState, deps: PipelineDeps, extraMs = 0): Promise<void> {
  const now = deps.clock();
  const workspace = await deps.workspaceFingerprint();
  const answer = await deps.coordinator.takeLease(workspace, state.jobId, now, now + extraMs + leaseMs(deps));
  if (answer.held) return;
  throw new JobError(
    'WORKSPACE_TAKEN',
    `this job's lease on the workspace ran out (no Task renewed it for ${leaseMs(deps) / 1000} s) and import ` +
      `${answer.lease.holder} holds it now: this job stops so that two jobs never write at once; the rows it ` +
      'did not reach are held for the schedule',
  );
}

/** Gives the workspace up when this job holds it: the next job waiting for it starts. */
export async function releaseWorkspace(state: JobState, deps: PipelineDeps): Promise<void> {
  const released = await deps.coordinator.releaseLease(await deps.workspaceFingerprint(), state.jobId);
  if (released) deps.logger?.info('workspace released', { jobId: state.jobId });
}
