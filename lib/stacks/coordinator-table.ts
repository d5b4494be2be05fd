import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { COORDINATOR_TABLE } from '#storage/coordinator.ts';

/** Which items a function may touch: the rate budgets, the workspace leases, or both. */
export type CoordinatorItems = 'budget' | 'lease';

const ITEM_ACTIONS = {
  /** Read and write, never scan or delete: every write is conditional on what was read. */
  readWrite: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  release: ['dynamodb:DeleteItem'],
} as const;

/**
 * The coordinator: one on-demand, encrypted DynamoDB table holding the shared rate budgets and the
 * workspace leases. Items expire by TTL (a lease a killed job left, a budget long unused), so nothing
 * here is kept for long, nor needs a backup. Each function gets the actions it uses on the items it uses,
 * told apart by their key's prefix.
 */
export class CoordinatorTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: COORDINATOR_TABLE.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: COORDINATOR_TABLE.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Grants `access` on the items of the kinds named, and on no other item. */
  grant(grantee: IGrantable, items: readonly CoordinatorItems[], access: keyof typeof ITEM_ACTIONS): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...ITEM_ACTIONS[access]],
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': items.map((kind) => `${kind}#*`) },
        },
      }),
    );
  }
}
