/**
 * Where a target's references conflict or are silent, its sandbox offers each candidate as a variant
 * (`--variant name=value,...`), and the pipeline must pass against every one. Each sandbox declares its
 * choices, the first of each being the default:
 *
 *     export const CLARIFY_VARIANTS = { names: ['nested', 'flat'], ... } as const;
 */

export type VariantChoices = Record<string, readonly string[]>;

/** One value per variant name. */
export type Variants<C extends VariantChoices> = { [K in keyof C]: C[K][number] };

/** The defaults: the first choice of each variant. */
export function defaultVariants<C extends VariantChoices>(choices: C): Variants<C> {
  return Object.fromEntries(
    Object.entries(choices).map(([name, values]) => [name, values[0]]),
  ) as Variants<C>;
}

/** Defaults overlaid with what was given, refusing names and values the sandbox does not offer. */
export function resolveVariants<C extends VariantChoices>(
  choices: C,
  given: Partial<Record<string, string>> = {},
): Variants<C> {
  const out: Record<string, string> = { ...defaultVariants(choices) };
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const allowed = choices[name];
    if (!allowed) {
      throw new RangeError(`unknown variant '${name}'; expected one of ${Object.keys(choices).join(', ')}`);
    }
    if (!allowed.includes(value)) {
      throw new RangeError(`variant ${name} must be one of ${allowed.join(', ')}; got '${value}'`);
    }
    out[name] = value;
  }
  return out as Variants<C>;
}

/** `names=flat,lifecycle=stage` -> `{ names: 'flat', lifecycle: 'stage' }`, checked against the choices. */
export function parseVariants<C extends VariantChoices>(choices: C, text: string): Variants<C> {
  const given: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value, ...rest] = part.split('=').map((p) => p.trim());
    if (!name || value === undefined || rest.length) {
      throw new RangeError(`'${part}' is not name=value (e.g. ${exampleOf(choices)})`);
    }
    given[name] = value;
  }
  return resolveVariants(choices, given);
}

/**
 * Every combination a test should run against: the defaults, then each other value of each variant
 * alone (one variant changed at a time keeps the count linear, and each failure names its variant).
 */
export function eachVariant<C extends VariantChoices>(choices: C): Variants<C>[] {
  const base = defaultVariants(choices);
  const out: Variants<C>[] = [base];
  for (const [name, values] of Object.entries(choices)) {
    for (const value of values.slice(1)) out.push({ ...base, [name]: value });
  }
  return out;
}

/** `names=flat` style label of what differs from the defaults ('defaults' when nothing does). */
export function describeVariants<C extends VariantChoices>(choices: C, variants: Variants<C>): string {
  const base = defaultVariants(choices) as Record<string, string>;
  const changed = Object.entries(variants as Record<string, string>).filter(([k, v]) => base[k] !== v);
  return changed.length ? changed.map(([k, v]) => `${k}=${v}`).join(',') : 'defaults';
}

const exampleOf = (choices: VariantChoices): string => {
  const [name, values] = Object.entries(choices)[0] ?? ['name', ['value']];
  return `${name}=${values[1] ?? values[0]}`;
};
