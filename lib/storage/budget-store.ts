import { JobError } from '#domain/errors.ts';
import {
  adoptedRate,
  type BudgetSnapshot,
  type BudgetSpend,
  budgetSnapshotSchema,
  RateBudget,
  type RateLimit,
} from '#domain/rate-budget.ts';
import { budgetItemKey, type Coordinator } from './coordinator.ts';

export interface SharedBudgetOptions {
  coordinator: Coordinator;
  /** What the API counts by (an IP, a workspace). */
  fingerprint: string;
  /** The endpoint class the API counts on its own (Clarify: bulk creates, reads, …); `all` for one limit. */
  endpointClass: string;
  rate: RateLimit;
  burstSeconds?: number;
  /** The API's documented rate: a limit its headers state is adopted when the window is this one. */
  documented?: RateLimit;
}

/** Conflicting writers each re-read and re-apply: a handful of rounds settles any realistic contention. */
const MAX_ROUNDS = 20;

/**
 * One rate budget in the coordinator table, as one Task uses it. Every Task of every job that the API
 * counts together spends from it, so every change is a read, the change, and a write that succeeds only
 * if no one wrote in between (else the round starts again). A Task reserves slots before it sends and
 * settles them when it ends; between the two its requests are charged to no one else.
 */
export class SharedBudget {
  private stored: { snapshot: BudgetSnapshot | undefined; version: number } | undefined;

  private constructor(private readonly options: SharedBudgetOptions) {}

  static async open(options: SharedBudgetOptions): Promise<SharedBudget> {
    const budget = new SharedBudget(options);
    await budget.read();
    return budget;
  }

  /** The budget as last read or written by this Task. */
  get current(): RateBudget {
    return this.build(this.stored?.snapshot);
  }

  /**
   * Reserves up to `want` slots until `holdUntil` (see `RateBudget.reserve`); resolves how many it got. When
   * the budget as this Task last saw it has none, the table is not asked: slots come back at the pace.
   */
  async reserve(want: number, now: number, holdUntil: number): Promise<number> {
    if (this.current.available(now) < 1) return 0;
    return this.change(now, (budget) => budget.reserve(want, now, holdUntil));
  }

  /** Puts what the Task did with its slots into the shared budget; resolves the budget as settled. */
  async settle(spend: BudgetSpend, now: number): Promise<RateBudget> {
    await this.change(now, (budget) => budget.settle(spend, now));
    return this.current;
  }

  private async read(): Promise<void> {
    const { coordinator, fingerprint, endpointClass } = this.options;
    const saved = await coordinator.readBudget(budgetItemKey(fingerprint, endpointClass));
    // A snapshot that does not parse (written by an older version) reads as none: the API's headers and
    // 429s then pace the job until the budget has filled again.
    const parsed = budgetSnapshotSchema.safeParse(saved.snapshot);
    this.stored = { snapshot: parsed.success ? parsed.data : undefined, version: saved.version };
  }

  private build(snapshot: BudgetSnapshot | undefined): RateBudget {
    const { rate, documented, burstSeconds } = this.options;
    const paced = documented ? adoptedRate(rate, snapshot?.apiLimit, documented) : rate;
    return new RateBudget(paced, snapshot, { burstSeconds });
  }

  private async change<T>(now: number, apply: (budget: RateBudget) => T): Promise<T> {
    const { coordinator, fingerprint, endpointClass, rate } = this.options;
    const key = budgetItemKey(fingerprint, endpointClass);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (!this.stored) await this.read();
      const { snapshot, version } = this.stored as NonNullable<typeof this.stored>;
      const budget = this.build(snapshot);
      const result = apply(budget);
      const next = budget.snapshot();
      // Kept a day past its window: an unused budget then holds nothing a new job would need.
      const expiresAt = now + rate.windowSeconds * 1000 + 86_400_000;
      if (await coordinator.writeBudget(key, next, version, expiresAt)) {
        this.stored = { snapshot: next, version: version + 1 };
        return result;
      }
      this.stored = undefined;
    }
    throw new JobError(
      'SERVER_ERROR',
      `the rate budget ${endpointClass} stayed contended for ${MAX_ROUNDS} rounds`,
    );
  }
}
