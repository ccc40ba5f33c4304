import { stateTableContract } from '../../test/helpers/state-table-contract.ts';
import { MemoryStateTable } from './memory-state-table.ts';

stateTableContract('in memory', {
  async table() {
    const clock = { now: Date.UTC(2026, 11, 6, 12) };
    return { table: new MemoryStateTable({ now: () => clock.now }), clock };
  },
});
