import type { Variants } from '#sandbox/common/variants.ts';
import { CLARIFY_VARIANTS } from '#targets/clarify/profile.ts';

/**
 * Where Clarify's references conflict, the sandbox offers each candidate (the first is the default), and
 * a client must pass against every one:
 *
 * - `names` (F1, F2, CL1): the person name as an object `name: {first_name, last_name}` (recorded live,
 *   written by the CLI), or top-level `first_name`/`last_name` (vercel import guide). The other form is 422.
 * - `lifecycle` (F7, CL2): the person's lifecycle select is `stage` (V-SCH's illustration) or `status`.
 * - `jobTitle` (F5): the person's job field is `job_title` (recorded live) or `title` (the docs' example).
 * - `schemas` (SC2, CL19): `GET /schemas` answers an array of schema resources (CLI/spec), an object keyed
 *   by `core/person` (vercel), or 404 (a workspace or version without it: clients must fall back).
 * - `errors` (ER1–ER3, CL18): JSON:API errors with `status` a string ("422", SK3) or a number (422, V-ERR,
 *   SK2), or NestJS style `{statusCode, message[], error}`.
 * - `duplicate` (B12): a unique-field collision answers 400 (most sources) or 422 (V-ERR's example body).
 * - `relationships` (R6): `GET .../relationships/people` answers identifiers (V-REL) or full resources
 *   with `meta`/`links` (recorded live).
 * - `rateHeaders` (RL2, Q9 of the open questions): `X-RateLimit-*` on every answer (SK3), or none.
 */
export { CLARIFY_VARIANTS };

export type ClarifyVariants = Variants<typeof CLARIFY_VARIANTS>;
