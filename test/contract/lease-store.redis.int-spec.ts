import { describe, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createLeaseStore } from '../../src/platform/lease/create-lease-store.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';
import { describeLeaseStoreContract } from './lease-store.contract.js';

/**
 * The Redis of this machine, under a key prefix of this run, through the store the app makes
 * (createLeaseStore: the Redis adapter loaded at its first call). Without Redis: skipped, except
 * with CI=true, where it fails.
 */
const REDIS_URL = TEST_REDIS_URL;

const available = await redisAnswers();
const inCi = process.env['CI'] === 'true';

if (available || inCi) {
  describeLeaseStoreContract('Redis', async () => {
    if (!available) throw new Error(`Redis does not answer at ${REDIS_URL} (CI=true: not skipped)`);
    return createLeaseStore({
      kind: 'redis',
      url: REDIS_URL,
      prefix: `contract-${randomBytes(4).toString('hex')}`,
    });
  });
} else {
  describe.skip(`LeaseStore contract: Redis (no Redis at ${REDIS_URL})`, () => {
    it('runs against Redis', () => undefined);
  });
}
