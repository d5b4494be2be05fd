import type { CountryCode } from 'libphonenumber-js';
import type { ObjectStore } from '#storage/object-store.ts';
import type { TargetProfile } from '#targets/profiles.ts';
import { readSample } from './file-sample.ts';
import { type JobFile, splitOrder } from './job-files.ts';
import { mapJob, type SampledFile } from './job-mapping.ts';

/**
 * Reads the top of every file of the job once, recognises them together (job-mapping.ts), and says in
 * which order to split them: each file comes back with its recognition, which every later split Task
 * uses as it is. A file that cannot be read here goes last and reports its problem when it is split.
 */
export async function recognizeJob(
  store: ObjectStore,
  files: readonly JobFile[],
  profile: TargetProfile,
  region: CountryCode,
): Promise<{ files: JobFile[]; order: number[] }> {
  const sampled: SampledFile[] = [];
  for (const file of files) {
    try {
      sampled.push({ file, sample: await readSample(await store.getStream(file.key)) });
    } catch {
      sampled.push({ file });
    }
  }
  const found = mapJob(sampled, profile, region);
  return {
    files: files.map((file, i) => {
      const recognition = found[i];
      return recognition?.roles ? { ...file, recognition } : file;
    }),
    order: splitOrder(
      found.map((f) => f.entity),
      profile,
    ),
  };
}
