import { z } from 'zod';

/**
 * One job at a time writes into a workspace: it holds the workspace's lease from its dedupe snapshot to its
 * report, so a job that waited for it snapshots everything the one before created. The lease outlives its
 * last renewal by this long (more than a paced Task can take), so a killed job frees its workspace.
 */
export const DEFAULT_LEASE_SECONDS = 300;

/** Where a job waiting for its workspace is: since when it waits, and how often it has looked. */
export const workspaceCursorSchema = z.object({
  kind: z.literal('workspace'),
  since: z.number().int().nonnegative(),
  looks: z.number().int().nonnegative(),
});
export type WorkspaceCursor = z.infer<typeof workspaceCursorSchema>;

/** A waiting job looks again after a twentieth of what it has waited, so it starts at most 5% late. */
const LOOK_SHARE = 0.05;
const MAX_LOOK_SECONDS = 30;

/**
 * Seconds until a waiting job looks at the workspace again: a share of the time it has waited so far (at
 * least a second, at most half a minute), and never past the moment the holder's lease runs out.
 */
export function nextLookSeconds(waitedMs: number, expiresInMs: number): number {
  const share = Math.min(MAX_LOOK_SECONDS, Math.max(1, Math.ceil((waitedMs * LOOK_SHARE) / 1000)));
  const expiry = Math.max(1, Math.ceil(expiresInMs / 1000));
  return Math.min(share, expiry);
}

/** Why a job waits, as the execution view shows it beside "Wait for the workspace". */
export const waitingReason = (holder: string) => `import ${holder} is running`;
