import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { JobError } from '#domain/errors.ts';

/**
 * The coordinator table: one item per rate budget (`budget#<what the API counts by>#<endpoint class>`) and
 * one per workspace lease (`lease#<workspace>`). The stack and the local runtime create it from these.
 */
export const COORDINATOR_TABLE = {
  /** The local runtime's table (DynamoDB wants at least 3 characters). */
  localName: 'crm-import-coordinator',
  partitionKey: 'pk',
  /** Epoch seconds after which DynamoDB may delete the item: an expired lease, a budget long unused. */
  ttlAttribute: 'expiresAt',
} as const;

export const budgetItemKey = (fingerprint: string, endpointClass: string) =>
  `budget#${fingerprint}#${endpointClass}`;
export const leaseItemKey = (workspace: string) => `lease#${workspace}`;

/** A stored budget and the version it was written at: a write succeeds only over that version. */
export interface StoredBudget {
  snapshot: unknown;
  version: number;
}

/** Who holds a workspace, and until when unless renewed. */
export interface Lease {
  holder: string;
  /** Epoch ms. */
  expiresAt: number;
}

export type LeaseAnswer = { held: true; lease: Lease } | { held: false; lease: Lease };

/**
 * Every write is conditional, so two writers never overwrite each other: a budget is written only over
 * the version it was read at (the loser reads again and re-applies its change), and a lease is taken only
 * when it is free, expired, or already the taker's.
 */
export class Coordinator {
  /** Requests sent to the table so far (what DynamoDB bills). */
  requests = 0;

  constructor(
    /** None where a process has no table to reach (split and the report alone, in a benchmark's worker). */
    private readonly db: DynamoDBClient | undefined,
    readonly tableName: string,
  ) {}

  private send<T>(request: (db: DynamoDBClient) => Promise<T>): Promise<T> {
    if (!this.db) throw new JobError('CONFIG', 'no coordinator table is reachable from here');
    this.requests += 1;
    return request(this.db);
  }

  async readBudget(key: string): Promise<StoredBudget> {
    const { Item } = await this.send((db) =>
      db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [COORDINATOR_TABLE.partitionKey]: { S: key } },
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item?.budget?.S) return { snapshot: undefined, version: 0 };
    return { snapshot: decodeBudget(Item.budget.S), version: Number(Item.version?.N ?? 0) };
  }

  /** Writes `snapshot` as version `version + 1`; false when someone else wrote since `version`. */
  async writeBudget(key: string, snapshot: unknown, version: number, expiresAt: number): Promise<boolean> {
    return conditional(
      this.send((db) =>
        db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              [COORDINATOR_TABLE.partitionKey]: { S: key },
              budget: { S: encodeBudget(snapshot) },
              version: { N: String(version + 1) },
              [COORDINATOR_TABLE.ttlAttribute]: { N: String(Math.ceil(expiresAt / 1000)) },
            },
            ...(version === 0
              ? {
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': 'pk' },
                }
              : {
                  ConditionExpression: 'version = :version',
                  ExpressionAttributeValues: { ':version': { N: String(version) } },
                }),
          }),
        ),
      ),
    );
  }

  /**
   * Takes the workspace for `holder` until `until` (epoch ms) when no one else holds it, or extends it when
   * `holder` does. Otherwise answers who holds it.
   */
  async takeLease(workspace: string, holder: string, now: number, until: number): Promise<LeaseAnswer> {
    const key = { [COORDINATOR_TABLE.partitionKey]: { S: leaseItemKey(workspace) } };
    // Twice at most: a lease released between a refused write and the read that names its holder is free.
    for (let attempt = 0; ; attempt++) {
      const taken = await conditional(
        this.send((db) =>
          db.send(
            new UpdateItemCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET holder = :me, untilMs = :until, #ttl = :ttl',
              ConditionExpression: 'attribute_not_exists(holder) OR holder = :me OR untilMs < :now',
              ExpressionAttributeNames: { '#ttl': COORDINATOR_TABLE.ttlAttribute },
              ExpressionAttributeValues: {
                ':me': { S: holder },
                ':until': { N: String(until) },
                ':now': { N: String(now) },
                ':ttl': { N: String(Math.ceil(until / 1000)) },
              },
            }),
          ),
        ),
      );
      if (taken) return { held: true, lease: { holder, expiresAt: until } };
      const lease = await this.readLease(workspace);
      if (lease || attempt > 0)
        return { held: false, lease: lease ?? { holder: 'another import', expiresAt: now } };
    }
  }

  async readLease(workspace: string): Promise<Lease | undefined> {
    const { Item } = await this.send((db) =>
      db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [COORDINATOR_TABLE.partitionKey]: { S: leaseItemKey(workspace) } },
          ConsistentRead: true,
        }),
      ),
    );
    if (!Item?.holder?.S) return undefined;
    return { holder: Item.holder.S, expiresAt: Number(Item.untilMs?.N ?? 0) };
  }

  /** Gives the workspace up, if `holder` still holds it; true when it did. */
  async releaseLease(workspace: string, holder: string): Promise<boolean> {
    return conditional(
      this.send((db) =>
        db.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: { [COORDINATOR_TABLE.partitionKey]: { S: leaseItemKey(workspace) } },
            ConditionExpression: 'holder = :me',
            ExpressionAttributeValues: { ':me': { S: holder } },
          }),
        ),
      ),
    );
  }
}

/** True when the write went through, false when its condition refused it; any other error is thrown. */
async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * A budget's log holds up to a window's worth of epoch-ms times (3,000 for Clarify): stored as the first
 * and the gaps after it, a third of the size, so an item stays a few KB (a write costs 1 unit per KB).
 */
function encodeBudget(snapshot: unknown): string {
  const value = snapshot as { log?: number[] };
  if (!Array.isArray(value.log)) return JSON.stringify(snapshot);
  const log = value.log;
  const gaps = log.map((at, i) => (i === 0 ? at : at - (log[i - 1] as number)));
  return JSON.stringify({ ...value, log: undefined, gaps });
}

function decodeBudget(text: string): unknown {
  const value = JSON.parse(text) as { gaps?: number[] };
  if (!Array.isArray(value.gaps)) return value;
  let at = 0;
  const log = value.gaps.map((gap) => {
    at += gap;
    return at;
  });
  const { gaps: _gaps, ...rest } = value;
  return { ...rest, log };
}
