import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { COORDINATOR_TABLE } from '#storage/coordinator.ts';

export interface LocalDynamo {
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

/**
 * A real DynamoDB-protocol server (dynalite) on 127.0.0.1 with the coordinator table created as the stack
 * creates it. In memory: leases and budgets last as long as the runtime, as a killed job's lease would
 * have expired by the time it is started again.
 */
export async function startLocalDynamo(port = 0): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDynamoClient(endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: COORDINATOR_TABLE.localName,
      AttributeDefinitions: [{ AttributeName: COORDINATOR_TABLE.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: COORDINATOR_TABLE.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
  return {
    endpoint,
    tableName: COORDINATOR_TABLE.localName,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The SDK's DynamoDB client pointed at a local server (dynalite takes any credentials). */
export const createDynamoClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
