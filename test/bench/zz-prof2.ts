import { verifyStore } from '../../src/audit/verify-store.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
const store = new SqliteEventStore({ file: '/tmp/auditprof/events2.sqlite', synchronous: 'NORMAL' });
for (let i = 0; i < 4; i++) await verifyStore(store);
await store.close();
