import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbClient } from '../../backend/aws/clients.ts';
import { startMoto, type MotoServer } from '../../backend/local/moto.ts';
import { createStateTable } from '../../backend/local/state-table.ts';
import { DynamoDbStateTable } from '../../backend/state/dynamodb-state-table.ts';
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
    const client = createDynamoDbClient(moto.settings);
    const name = `switchyard-state-${++tables}`;
    await createStateTable(client, name);
    return { table: new DynamoDbStateTable(client, name, { now: () => clock.now }), clock };
  },
});
