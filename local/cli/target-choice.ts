import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readCsv, readHeader } from '#csv/read-csv.ts';
import { entityFromFileName } from '#domain/columns.ts';
import { isFailuresFile } from '#domain/failures-file.ts';
import { recognizeFile } from '#intake/job-files.ts';
import { planUpload } from '#runtime/upload.ts';
import { TARGET_NAMES, type TargetName } from '#targets/index.ts';
import { PROFILES } from '#targets/profiles.ts';
import { type FlagValues, usageError } from './args.ts';
import type { CommandName } from './commands.ts';
import { targetFlag } from './options.ts';

export interface TargetChoice {
  target: TargetName;
  /** Why this target, when the files chose it: the view says so before the job starts. */
  inferred?: string;
}

/** What one file says of its target: the targets it can be for, and why. */
interface Clue {
  file: string;
  targets: TargetName[];
  why: string;
}

/**
 * The target of a job: `--target`, or else the one the files say they are for: an entity in the manifest,
 * a file name only one target uses (companies.csv, leads.csv), a CRM vendor's export (Clarify's model), or
 * the entities of a failures.csv. A job whose files fit both targets, or say nothing, needs `--target`:
 * leads and clients must never become Clarify people without a word.
 */
export async function chooseTarget(
  command: CommandName,
  values: FlagValues,
  paths: string[],
): Promise<TargetChoice> {
  const given = targetFlag(command, values);
  if (given) return { target: given };
  const clues = paths.length ? await cluesOf(paths) : [];
  const decisive = clues.filter((c) => c.targets.length === 1);
  const said = new Set(decisive.map((c) => c.targets[0] as TargetName));
  const ask = `--target ${TARGET_NAMES.join(' or --target ')}`;
  if (said.size === 1) {
    const target = [...said][0] as TargetName;
    const shown = decisive.slice(0, 3).map((c) => `${c.file} (${c.why})`);
    const more = decisive.length > 3 ? ` and ${decisive.length - 3} more` : '';
    return {
      target,
      inferred: `Target: ${target}, as the files say: ${shown.join(', ')}${more}. Give --target to choose.`,
    };
  }
  if (said.size > 1) {
    const split = decisive.map((c) => `${c.file} is for ${c.targets[0]}`).join(', ');
    throw usageError(command, `the files are for different targets (${split}): say which with ${ask}`);
  }
  const what = paths.length ? 'the files do not say which target they are for' : 'no files say which target';
  throw usageError(command, `${what}: add ${ask}`);
}

async function cluesOf(paths: string[]): Promise<Clue[]> {
  const plan = planUpload(paths, 'imports/');
  const manifest = manifestEntities(plan.manifest);
  const clues: Clue[] = [];
  for (const file of plan.files) {
    const name = basename(file.path);
    const clue = await clueOf(name, file.path, file.key, manifest.get(name));
    if (clue) clues.push(clue);
  }
  return clues;
}

async function clueOf(
  name: string,
  path: string,
  key: string,
  manifestEntity: string | undefined,
): Promise<Clue | undefined> {
  if (manifestEntity) {
    const targets = targetsOfEntity(manifestEntity);
    return { file: name, targets, why: `${manifestEntity} rows, by manifest.json` };
  }
  const head = await readHeader(createReadStream(path)).catch(() => undefined);
  if (!head) return undefined;
  if (isFailuresFile(head.headers)) {
    const entity = await firstEntityOf(path);
    return entity
      ? { file: name, targets: targetsOfEntity(entity), why: `a failures file of ${entity} rows` }
      : undefined;
  }
  const vendor = recognizeFile({ key, file: name }, head.headers, PROFILES.clarify).vendor;
  if (vendor !== 'generic') return { file: name, targets: ['clarify'], why: `a ${vendor} export` };
  const byName = TARGET_NAMES.flatMap((t) => {
    const entity = entityFromFileName(name, PROFILES[t].fileNames);
    return entity ? [{ target: t, entity }] : [];
  });
  return {
    file: name,
    targets: byName.map((b) => b.target),
    why: `${byName[0]?.entity ?? ''} rows, by its name`,
  };
}

function targetsOfEntity(entity: string): TargetName[] {
  return TARGET_NAMES.filter((t) => {
    const profile = PROFILES[t];
    if (entity === 'mixed') return profile.rowTypes.length > 0;
    if (entity === 'link') return profile.links;
    return (profile.entities as readonly string[]).includes(entity);
  });
}

/** A failures.csv names each row's entity: the first row's says whose job it came from. */
async function firstEntityOf(path: string): Promise<string | undefined> {
  for await (const record of readCsv(
    createReadStream(path),
    () => undefined,
    () => undefined,
  )) {
    const entity = record.values.entity?.trim().toLowerCase();
    if (entity) return entity;
  }
  return undefined;
}

/** The manifest's entity per file name; a manifest that does not parse says nothing here (the job reports it). */
function manifestEntities(path: string | undefined): Map<string, string> {
  const entities = new Map<string, string>();
  if (!path) return entities;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
      files?: { file?: unknown; entity?: unknown }[];
    };
    for (const f of manifest.files ?? [])
      if (typeof f.file === 'string' && typeof f.entity === 'string')
        entities.set(basename(f.file), f.entity);
  } catch {
    // The job itself fails with BAD_MANIFEST, naming the line and column.
  }
  return entities;
}
