import type { ClarifyVariants } from '#sandbox/clarify/server.ts';

/**
 * Reading a Clarify person the way a test means it, whatever shape the workspace stores it in: the name
 * as `name: {first_name, last_name, full_name}` (the default, F1) or as top-level `first_name` /
 * `last_name` (the `flat` variant, F2); the lifecycle select as `stage` (default) or `status` (F7).
 */

type Attributes = Record<string, unknown>;

interface NameParts {
  first_name?: string;
  last_name?: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The person's name parts, from the nested object or the flat attributes; a missing part is undefined. */
export function nameParts(attributes: Attributes | undefined): NameParts {
  const nested = attributes?.name;
  const source = (nested && typeof nested === 'object' ? nested : (attributes ?? {})) as Attributes;
  const first = text(source.first_name);
  const last = text(source.last_name);
  return {
    ...(first === undefined ? {} : { first_name: first }),
    ...(last === undefined ? {} : { last_name: last }),
  };
}

/** 'First Last', leaving out a missing part ('' when the person has no name at all). */
export function personName(attributes: Attributes | undefined): string {
  const { first_name, last_name } = nameParts(attributes);
  return [first_name, last_name].filter(Boolean).join(' ');
}

export function firstName(attributes: Attributes | undefined): string | undefined {
  return nameParts(attributes).first_name;
}

export function lastName(attributes: Attributes | undefined): string | undefined {
  return nameParts(attributes).last_name;
}

/** The person's lifecycle value, read from the field this workspace uses (`stage` by default). */
export function lifecycleOf(
  attributes: Attributes | undefined,
  variants: Pick<ClarifyVariants, 'lifecycle'>,
): string | undefined {
  return attributes?.[variants.lifecycle] as string | undefined;
}

/** The first item of a `{items: [...]}` collection (an email, a phone, a domain). */
export function firstItem(value: unknown): string | undefined {
  return (value as { items?: string[] } | undefined)?.items?.[0];
}
