import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState } from '#domain/job-state.ts';
import type { PipelineDeps } from '#functions/commons/pipeline.ts';
import { releaseWorkspace, renewWorkspace } from '#functions/commons/workspace-lease.ts';
import { createDynamoClient, type LocalDynamo, startLocalDynamo } from '#runtime/dynamo-server.ts';
import { Coordinator } from '#storage/coordinator.ts';

const T0 = 1_800_000_000_000;

describe('Functions: renewWorkspace, releaseWorkspace (against dynalite)', () => {
  let dynamo: LocalDynamo;
  let coordinator: Coordinator;
  let now = T0;
  let workspaces = 0;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    coordinator = new Coordinator(createDynamoClient(dynamo.endpoint), dynamo.tableName);
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  /** A job's state and dependencies on a workspace of its own, with a 10 s lease. */
  const jobOn = (workspace: string, jobId: string) => ({
    state: { jobId } as JobState,
    deps: {
      coordinator,
      clock: () => now,
      workspaceFingerprint: async () => workspace,
      config: { leaseSeconds: 10, maxTaskMs: 5000 },
    } as unknown as PipelineDeps,
  });

  it('stops a job whose lease another job took after it ran out, naming that job', async () => {
    // Prepare: job a held the workspace and stopped renewing; b took it once it ran out
    const workspace = `ws-${++workspaces}`;
    const a = jobOn(workspace, 'job-a');
    await renewWorkspace(a.state, a.deps);
    now += 16_000;
    await coordinator.takeLease(workspace, 'job-b', now, now + 10_000);

    // Act
    const renewal = renewWorkspace(a.state, a.deps);

    // Assess
    await expect(renewal).rejects.toMatchObject({ code: 'WORKSPACE_TAKEN', retryable: true });
    await expect(renewal).rejects.toThrow(/import job-b holds it now/);
  });

  it('takes the workspace again when its own lease ran out and no one took it', async () => {
    // Prepare
    const workspace = `ws-${++workspaces}`;
    const a = jobOn(workspace, 'job-a');
    await renewWorkspace(a.state, a.deps);
    now += 60_000;

    // Act
    await renewWorkspace(a.state, a.deps, 30_000);

    // Assess: held until the lease after the extra time asked for
    expect(await coordinator.readLease(workspace)).toEqual({ holder: 'job-a', expiresAt: now + 40_000 });
  });

  it('releases only the lease the job holds', async () => {
    // Prepare
    const workspace = `ws-${++workspaces}`;
    const a = jobOn(workspace, 'job-a');
    const b = jobOn(workspace, 'job-b');
    await renewWorkspace(a.state, a.deps);

    // Act
    await releaseWorkspace(b.state, b.deps);
    const afterOther = await coordinator.readLease(workspace);
    await releaseWorkspace(a.state, a.deps);

    // Assess
    expect(afterOther?.holder).toBe('job-a');
    expect(await coordinator.readLease(workspace)).toBeUndefined();
  });
});
