import { z } from 'zod';
import { RECORD_ENTITIES, type RecordEntity } from '#domain/entities.ts';
import { ERROR_CODES, type ErrorCode, ImportError } from '#domain/errors.ts';
import type { RateLimitInfo } from '#domain/rate-budget.ts';
import type { ExistingRecord } from '#domain/references.ts';
import type { TargetWorkspace } from './workspace.ts';

export type { ExistingRecord } from '#domain/references.ts';
export type { TargetName } from './index.ts';
export type { TargetWorkspace } from './workspace.ts';

export interface ListPage {
  records: ExistingRecord[];
  /** Where the next page starts; null when this was the last. */
  next: string | null;
  /** How many records the whole list holds, when the API says (Clarify's `total_records`, ActuallyCare's `total`). */
  total?: number;
}

/** A record to create, in target-neutral fields plus the id of the record it points to. */
export interface NewRecord {
  fields: Record<string, string | number | string[]>;
  /** The target id of the parent record (a person's company, an escrow's client). */
  parentId?: string;
  /** The import marker, for targets with a tag field. */
  marker?: string;
  /**
   * On an update: the record's values as the target holds them, for an attribute that is sent whole
   * (Clarify's name object is replaced on PATCH: a changed last name goes with the first name it has).
   */
  current?: Record<string, string | number | string[]>;
}

/** What a job needs the credentials to allow, per entity. */
export interface AccessNeeds {
  read: RecordEntity[];
  write: RecordEntity[];
}

const rateLimitInfoSchema: z.ZodType<RateLimitInfo> = z.object({
  limit: z.number().optional(),
  remaining: z.number().optional(),
  resetSeconds: z.number().optional(),
});

/**
 * What one read-only preflight request found. `fatal`: nothing can be imported (a refused key, a missing
 * read scope); `entity`: the rows of that entity cannot go in (contacts without a session token);
 * `warning`: the job runs on an assumption the API could not confirm. A job keeps them in
 * `jobs/<job>/preflight.json`.
 */
export const probeResultSchema = z.object({
  /** What was checked, as a person reads it: "read clients", "workspace schema". */
  check: z.string(),
  ok: z.boolean(),
  severity: z.enum(['fatal', 'entity', 'warning']).optional(),
  entity: z.enum(RECORD_ENTITIES).optional(),
  code: z.enum(ERROR_CODES).optional(),
  message: z.string(),
  /** The credential the request carried: "api key", "session token". */
  credential: z.string().optional(),
  /** The request's round trip, when one was sent. */
  latencyMs: z.number().optional(),
  /** What the API's rate-limit headers said on this answer. */
  rateLimit: rateLimitInfoSchema.optional(),
  /** The page size the list accepted, for a read probe. */
  pageSize: z.number().optional(),
  /** What the API declared, for the adapter to learn from (Clarify's schema, a sample record's shape). */
  learned: z.record(z.string(), z.unknown()).optional(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** One request of the preflight; a step that needs no request (a missing token) answers without one. */
export interface PreflightStep {
  check: string;
  /** True when the step answers without a request (nothing to charge to the rate budget). */
  offline?: boolean;
  run(): Promise<ProbeResult>;
}

/** One item of a rejected batch, as the API pointed at it. */
export interface ItemError {
  index: number;
  message: string;
  field?: string;
}

/**
 * What every target adapter offers. Each method is exactly one HTTP request, so the caller can charge
 * the rate budget per call and knows what was sent.
 */
export interface TargetAdapter {
  listExisting(entity: RecordEntity, cursor: string | null): Promise<ListPage>;
  /** What the API last said of its rate-limit window, once: later calls return undefined until it speaks again. */
  takeRateLimit?(): RateLimitInfo | undefined;
  /**
   * A listExisting cursor at about the `skip`-th record: lists are in creation order, so records created
   * after a snapshot of `n` records are found from `n` on without reading the whole workspace again.
   */
  tailCursor(entity: RecordEntity, skip: number): string;
  /**
   * The read-only requests that prove the credentials and learn the workspace before anything is
   * written, one request a step, so a paced stage can charge each to the rate budget. Without `needs`:
   * everything the target offers (`crm-import check` with no files).
   */
  preflight(needs?: AccessNeeds): PreflightStep[];
  /** What the preflight's answers teach the adapter (Clarify: the workspace's shapes and enums). */
  learn?(results: ProbeResult[]): TargetWorkspace;
  /** Sets what was learned, before records are written. */
  useWorkspace?(workspace: TargetWorkspace): void;
  /** Why no row of `entity` can be written with these credentials, before any is sent. */
  cannotWrite?(entity: RecordEntity): string | undefined;
  /**
   * Creates all or nothing; resolves with the new ids in request order. `idempotent` asks for a create
   * that is safe to repeat where the target offers one (Clarify's `match_on`): a re-send of rows whose
   * first answer was lost.
   */
  create(entity: RecordEntity, records: NewRecord[], options?: { idempotent?: boolean }): Promise<string[]>;
  update(entity: RecordEntity, id: string, record: NewRecord): Promise<void>;
  getDealPeople(dealId: string): Promise<string[]>;
  /** Replaces the deal's whole set of people. */
  setDealPeople(dealId: string, personIds: string[]): Promise<void>;
}

export interface TargetErrorDetails {
  status?: number;
  retryAfterSeconds?: number;
  items?: ItemError[];
  cause?: unknown;
  /** True when the request may have reached the API (the answer was lost): reconcile before re-sending. */
  inDoubt?: boolean;
  /**
   * True when the refusal concerns a credential only this entity takes (ActuallyCare's contacts token):
   * the entity stops, not the job.
   */
  entityCredential?: boolean;
}

/** An HTTP call to the target that did not succeed, classified for the report and the retry schedule. */
export class TargetError extends ImportError {
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly items: ItemError[];
  readonly inDoubt: boolean;
  readonly entityCredential: boolean;

  constructor(code: ErrorCode, message: string, details: TargetErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.items = details.items ?? [];
    this.inDoubt = details.inDoubt ?? false;
    this.entityCredential = details.entityCredential ?? false;
  }
}
