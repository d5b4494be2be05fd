import { TargetError } from '#targets/target.ts';

/** The TargetError a call fails with; any other outcome fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<TargetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TargetError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
