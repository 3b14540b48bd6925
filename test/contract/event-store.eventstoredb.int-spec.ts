import { describe, it } from '@jest/globals';
import { EventStoreDbEventStore } from '../../src/platform/event-store/eventstoredb/eventstoredb-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

// Runs against a real server only when one is configured (CI service container, docker compose).
const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

if (connectionString) {
  describeEventStoreContract('eventstoredb', async () =>
    EventStoreDbEventStore.fromConnectionString(connectionString),
  );
} else {
  describe.skip('EventStore contract: eventstoredb (skipped: EVENTSTORE_CONNECTION_STRING is not set)', () => {
    it.skip('needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false', () => undefined);
  });
}
