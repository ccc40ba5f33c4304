import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startMoto, type MotoServer } from '../../backend/local/moto.ts';
import { createStateTable, DynamoDbStateTable } from '../../backend/state/dynamodb-state-table.ts';
import { stateTableContract } from '../helpers/state-table-contract.ts';

let moto: MotoServer;
let tables = 0;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

stateTableContract('DynamoDB on moto', {
  async table() {
    const clock = { now: Date.now() };
    const client = new DynamoDBClient({ ...moto.settings });
    const name = `switchyard-state-${++tables}`;
    await createStateTable(client, name);
    return { table: new DynamoDbStateTable(client, name, { now: () => clock.now }), clock };
  },
});
