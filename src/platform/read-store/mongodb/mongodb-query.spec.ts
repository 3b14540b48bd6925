import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ReadStoreQueryError, type CollectionSpec, type Filter } from '../read-store.port.js';
import {
  checkId,
  checkLimit,
  checkPage,
  collectionName,
  indexKeys,
  toMongoFilter,
  toMongoSort,
  validateName,
  validateSpec,
} from './mongodb-query.js';

const spec: CollectionSpec = {
  name: 'signal-inbox',
  version: 2,
  indexes: [
    { field: 'status', type: 'string' },
    { field: 'priority', type: 'number' },
    { field: 'urgent', type: 'boolean' },
    { field: 'tags', type: 'string[]' },
  ],
};

const refused = { code: 'INVALID_READ_QUERY' };

function expectRefused(build: () => unknown): void {
  expect(build).toThrow(ReadStoreQueryError);
  expect(build).toThrow(expect.objectContaining(refused));
}

describe('collection naming and declarations', () => {
  it('names a collection rm_<name>_v<version> and indexes i.<field> with _id', () => {
    expect(collectionName(spec)).toBe('rm_signal-inbox_v2');
    expect(indexKeys(spec)).toEqual([
      { name: 'i_status', key: { 'i.status': 1, _id: 1 } },
      { name: 'i_priority', key: { 'i.priority': 1, _id: 1 } },
      { name: 'i_urgent', key: { 'i.urgent': 1, _id: 1 } },
      { name: 'i_tags', key: { 'i.tags': 1, _id: 1 } },
    ]);
    expect(Object.keys(indexKeys(spec)[0]!.key)).toEqual(['i.status', '_id']);
  });

  it('accepts plain names and fields', () => {
    expect(() => validateSpec(spec)).not.toThrow();
    expect(() => validateSpec({ name: 'a', version: 0, indexes: [] })).not.toThrow();
    expect(validateName('dashboard_v2-x')).toBe('dashboard_v2-x');
  });

  const specs: Array<[string, unknown]> = [
    ['a dot in the name', { ...spec, name: 'a.b' }],
    ['a dollar in the name', { ...spec, name: '$cmd' }],
    ['a slash in the name', { ...spec, name: 'a/b' }],
    ['an empty name', { ...spec, name: '' }],
    ['a name over 100 characters', { ...spec, name: 'a'.repeat(101) }],
    ['a fractional version', { ...spec, version: 1.5 }],
    ['a negative version', { ...spec, version: -1 }],
    ['indexes that are not an array', { ...spec, indexes: {} }],
    ['a dotted field', { ...spec, indexes: [{ field: 'a.b', type: 'string' }] }],
    ['a dollar field', { ...spec, indexes: [{ field: '$where', type: 'string' }] }],
    ['a __proto__ field', { ...spec, indexes: [{ field: '__proto__', type: 'string' }] }],
    ['an unknown type', { ...spec, indexes: [{ field: 'a', type: 'date' }] }],
    [
      'a field declared twice',
      {
        ...spec,
        indexes: [
          { field: 'a', type: 'string' },
          { field: 'a', type: 'number' },
        ],
      },
    ],
    ['a null index', { ...spec, indexes: [null] }],
  ];
  it.each(specs)('refuses %s', (_label, candidate) => {
    expect(() => validateSpec(candidate as CollectionSpec)).toThrow(
      expect.objectContaining({ code: 'INVALID_COLLECTION_SPEC' }),
    );
  });
});

describe('toMongoFilter', () => {
  const translate = (...filters: Filter[]) => toMongoFilter(spec, filters);

  it('is empty without filters', () => {
    expect(toMongoFilter(spec, undefined)).toEqual({});
    expect(toMongoFilter(spec, [])).toEqual({});
  });

  it('translates eq with an explicit $eq on the indexed copy', () => {
    expect(translate({ field: 'status', op: 'eq', value: 'open' })).toEqual({
      $and: [{ 'i.status': { $eq: 'open' } }],
    });
    expect(translate({ field: 'priority', op: 'eq', value: 3 })).toEqual({
      $and: [{ 'i.priority': { $eq: 3 } }],
    });
    expect(translate({ field: 'urgent', op: 'eq', value: false })).toEqual({
      $and: [{ 'i.urgent': { $eq: false } }],
    });
    expect(translate({ field: 'tags', op: 'eq', value: 'wegen' })).toEqual({
      $and: [{ 'i.tags': { $eq: 'wegen' } }],
    });
  });

  it('translates eq null; on a list also the empty list', () => {
    expect(translate({ field: 'status', op: 'eq', value: null })).toEqual({
      $and: [{ 'i.status': { $eq: null } }],
    });
    expect(translate({ field: 'tags', op: 'eq', value: null })).toEqual({
      $and: [{ $or: [{ 'i.tags': { $eq: null } }, { 'i.tags': { $size: 0 } }] }],
    });
  });

  it('translates in into a fresh array of checked values', () => {
    const values = ['open', 'closed'];
    const query = translate({ field: 'status', op: 'in', values });
    expect(query).toEqual({ $and: [{ 'i.status': { $in: ['open', 'closed'] } }] });
    expect((query['$and'] as Array<Record<string, { $in: unknown }>>)[0]!['i.status']!.$in).not.toBe(values);
  });

  it('translates ranges; on a list one element must meet every bound', () => {
    expect(translate({ field: 'priority', op: 'range', gte: 1, lt: 5 })).toEqual({
      $and: [{ 'i.priority': { $gte: 1, $lt: 5 } }],
    });
    expect(translate({ field: 'status', op: 'range', gt: 'a', lte: 'm' })).toEqual({
      $and: [{ 'i.status': { $gt: 'a', $lte: 'm' } }],
    });
    expect(translate({ field: 'tags', op: 'range', gte: 'g', lt: 'h' })).toEqual({
      $and: [{ 'i.tags': { $elemMatch: { $gte: 'g', $lt: 'h' } } }],
    });
  });

  it('ANDs filters as separate clauses, so two on one field do not overwrite each other', () => {
    expect(
      translate({ field: 'priority', op: 'range', gte: 2 }, { field: 'priority', op: 'range', lte: 2 }),
    ).toEqual({ $and: [{ 'i.priority': { $gte: 2 } }, { 'i.priority': { $lte: 2 } }] });
  });

  it('ignores properties a filter does not define instead of passing them on', () => {
    const filter = { field: 'status', op: 'eq', value: 'open', $where: 'sleep(1)', gte: { $gt: '' } };
    expect(toMongoFilter(spec, [filter])).toEqual({ $and: [{ 'i.status': { $eq: 'open' } }] });
  });

  const bad: Array<[string, unknown]> = [
    ['an undeclared field', { field: 'title', op: 'eq', value: 'x' }],
    ['an operator as field', { field: '$where', op: 'eq', value: 'x' }],
    ['a path as field', { field: 'i.status', op: 'eq', value: 'x' }],
    ['__proto__ as field', { field: '__proto__', op: 'eq', value: 'x' }],
    ['an object as field', { field: { $gt: '' }, op: 'eq', value: 'x' }],
    ['an operator object as value', { field: 'status', op: 'eq', value: { $gt: '' } }],
    ['an array as value', { field: 'status', op: 'eq', value: ['open'] }],
    ['an undefined value', { field: 'status', op: 'eq' }],
    ['a mismatched type', { field: 'priority', op: 'eq', value: '3' }],
    ['a boolean for a string', { field: 'status', op: 'eq', value: true }],
    ['a non-finite number', { field: 'priority', op: 'eq', value: Number.NaN }],
    ['a bigint', { field: 'priority', op: 'eq', value: 3n }],
    ['in values that are not an array', { field: 'status', op: 'in', values: { $ne: null } }],
    ['an empty in', { field: 'status', op: 'in', values: [] }],
    ['101 in values', { field: 'status', op: 'in', values: Array.from({ length: 101 }, (_, i) => `s${i}`) }],
    ['an object in in', { field: 'status', op: 'in', values: ['open', { $ne: null }] }],
    ['null in in', { field: 'status', op: 'in', values: [null] }],
    ['a range without bounds', { field: 'priority', op: 'range' }],
    ['a range on a boolean', { field: 'urgent', op: 'range', gte: 0 }],
    ['an object bound', { field: 'priority', op: 'range', gte: { $gt: 0 } }],
    ['a string bound on a number', { field: 'priority', op: 'range', gte: '1' }],
    ['an unknown operator', { field: 'status', op: 'ne', value: 'x' }],
    ['a string filter', 'status=open'],
    ['a null filter', null],
    ['an array filter', ['status', 'eq', 'open']],
  ];
  it.each(bad)('refuses %s', (_label, filter) => {
    expectRefused(() => toMongoFilter(spec, [filter]));
  });

  it('refuses filters that are not an array', () => {
    expectRefused(() => toMongoFilter(spec, { field: 'status', op: 'eq', value: 'open' }));
  });

  it('never lets a value position hold anything but a checked scalar (property)', () => {
    const fields = fc.constantFrom('status', 'priority', 'urgent', 'tags', 'title', '$where', '__proto__');
    const value = fc.oneof(
      { arbitrary: fc.string(), weight: 3 },
      { arbitrary: fc.double(), weight: 3 },
      { arbitrary: fc.boolean(), weight: 2 },
      { arbitrary: fc.constant(null), weight: 1 },
      { arbitrary: fc.anything(), weight: 1 },
    );
    const filter = fc.record(
      {
        field: fc.oneof({ arbitrary: fields, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }),
        op: fc.oneof(
          { arbitrary: fc.constantFrom('eq', 'in', 'range'), weight: 9 },
          { arbitrary: fc.anything(), weight: 1 },
        ),
        value,
        values: fc.oneof(fc.array(value, { minLength: 1 }), fc.anything()),
        gte: value,
        lt: value,
      },
      { requiredKeys: ['field', 'op'] },
    );
    const operators = new Set([
      '$and',
      '$or',
      '$eq',
      '$in',
      '$gte',
      '$gt',
      '$lte',
      '$lt',
      '$size',
      '$elemMatch',
    ]);
    const isScalar = (value: unknown) =>
      value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
    const check = (node: unknown, key: string): void => {
      if (key === '$in') {
        expect(Array.isArray(node) && node.every(isScalar)).toBe(true);
        return;
      }
      if (key === '$and' || key === '$or') {
        expect(Array.isArray(node)).toBe(true);
        for (const clause of node as unknown[]) check(clause, '');
        return;
      }
      if (typeof node === 'object' && node !== null) {
        for (const [child, value] of Object.entries(node)) {
          expect(
            child.startsWith('$') ? operators.has(child) : /^i\.(status|priority|urgent|tags)$/.test(child),
          ).toBe(true);
          check(value, child);
        }
        return;
      }
      expect(isScalar(node) || (key === '$size' && node === 0)).toBe(true);
    };
    let translated = 0;
    fc.assert(
      fc.property(fc.array(filter, { minLength: 1, maxLength: 2 }), (filters) => {
        let query: unknown;
        try {
          query = toMongoFilter(spec, filters);
        } catch (error) {
          return error instanceof ReadStoreQueryError;
        }
        check(query, '');
        translated++;
        return true;
      }),
      { numRuns: 3000 },
    );
    // The property means little unless many inputs were valid queries.
    expect(translated).toBeGreaterThan(50);
  });
});

describe('toMongoSort', () => {
  it('sorts by id without a sort, and breaks ties by id ascending in both directions', () => {
    expect(toMongoSort(spec, undefined)).toEqual({ _id: 1 });
    const asc = toMongoSort(spec, { field: 'priority', direction: 'asc' });
    expect(asc).toEqual({ 'i.priority': 1, _id: 1 });
    expect(Object.keys(asc)).toEqual(['i.priority', '_id']);
    expect(toMongoSort(spec, { field: 'status', direction: 'desc' })).toEqual({ 'i.status': -1, _id: 1 });
    expect(toMongoSort(spec, { field: 'urgent', direction: 'asc' })).toEqual({ 'i.urgent': 1, _id: 1 });
  });

  const bad: Array<[string, unknown]> = [
    ['an undeclared field', { field: 'title', direction: 'asc' }],
    ['a list field', { field: 'tags', direction: 'asc' }],
    ['an operator field', { field: '$natural', direction: 'asc' }],
    ['a numeric direction', { field: 'priority', direction: -1 }],
    ['a meta direction', { field: 'priority', direction: { $meta: 'textScore' } }],
    ['a string sort', 'priority'],
    ['a null sort', null],
  ];
  it.each(bad)('refuses %s', (_label, sort) => {
    expectRefused(() => toMongoSort(spec, sort));
  });
});

describe('paging and ids', () => {
  it('accepts limits 0 to 1000 and offsets from 0', () => {
    expect(checkPage({ limit: 0 })).toEqual({ limit: 0, offset: 0 });
    expect(checkPage({ limit: 1000, offset: 5000 })).toEqual({ limit: 1000, offset: 5000 });
    expect(checkLimit(17)).toBe(17);
  });

  const bad: Array<[string, unknown]> = [
    ['a limit over 1000', { limit: 1001 }],
    ['a negative limit', { limit: -1 }],
    ['a fractional limit', { limit: 2.5 }],
    ['a string limit', { limit: '10' }],
    ['no limit', {}],
    ['a negative offset', { limit: 1, offset: -1 }],
    ['an unsafe offset', { limit: 1, offset: 2 ** 60 }],
    ['an object offset', { limit: 1, offset: { $gt: 0 } }],
    ['no query', null],
  ];
  it.each(bad)('refuses %s', (_label, query) => {
    expectRefused(() => checkPage(query));
  });

  it('takes string ids only', () => {
    expect(checkId('a')).toBe('a');
    expectRefused(() => checkId({ $ne: null }));
    expectRefused(() => checkId(1));
  });
});
