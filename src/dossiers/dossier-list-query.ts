import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import { queryParams } from '../platform/http/query-params.js';
import { ApiError } from '../platform/http/api-error.js';
import type { Filter, ListQuery } from '../platform/read-store/read-store.port.js';
import { position } from '../signals/list-signals/inbox-query.js';
import { DOSSIER_PHASES } from './dossier.decider.js';
import { ESCALATION_LEVELS } from './dossier.events.js';

const PARAMS = [
  'state',
  'theme',
  'level',
  'open',
  'signal',
  'sort',
  'limit',
  'offset',
  'count',
  'minPosition',
];
const SORTS = new Set(['createdAt', 'updatedAt']);

function invalid(message: string): never {
  throw new ApiError(400, 'INVALID_QUERY', message);
}

/**
 * `GET /dossiers?state=escalated,decided&theme=wonen&level=supralocal&open=true&sort=-updatedAt&limit=25&offset=0&count=true`:
 * every parameter checked and turned into a typed filter on a declared index, within the tenant.
 */
export function dossierListQuery(
  params: Record<string, unknown>,
  tenantId: string,
): { query: ListQuery; minPosition: bigint | undefined } {
  const query = queryParams(params, PARAMS);
  const single = (name: string): string | undefined => query[name];
  const list = (name: string, check: (value: string) => boolean): string[] | undefined => {
    const value = single(name);
    if (value === undefined) return undefined;
    const values = value.split(',').filter((v) => v !== '');
    if (values.length === 0 || values.length > 20 || !values.every(check))
      invalid(`De parameter '${name}' bevat een onbekende waarde.`);
    return values;
  };
  const filters: Filter[] = [{ field: 'tenantId', op: 'eq', value: tenantId }];
  const states = list('state', (v) => (DOSSIER_PHASES as string[]).includes(v));
  if (states) filters.push({ field: 'state', op: 'in', values: states });
  const themes = list('theme', (v) => isCode('themes', v));
  if (themes) filters.push({ field: 'themes', op: 'in', values: themes });
  const levels = list('level', (v) => (ESCALATION_LEVELS as readonly string[]).includes(v));
  if (levels) filters.push({ field: 'levels', op: 'in', values: levels });
  const signals = list('signal', (v) => /^[0-9a-f-]{36}$/.test(v));
  if (signals) filters.push({ field: 'memberSignalIds', op: 'in', values: signals });
  const open = single('open');
  if (open !== undefined) {
    if (open !== 'true' && open !== 'false') invalid("De parameter 'open' is true of false.");
    filters.push({ field: 'open', op: 'eq', value: open === 'true' });
  }
  const sortParam = single('sort') ?? '-updatedAt';
  const sortField = sortParam.replace(/^-/, '');
  if (!SORTS.has(sortField))
    invalid("De parameter 'sort' kan createdAt of updatedAt zijn (met - voor aflopend).");
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = single(name);
    if (value === undefined) return fallback;
    if (!/^\d{1,7}$/.test(value) || Number(value) < min || Number(value) > max)
      invalid(`De parameter '${name}' is een geheel getal van ${min} tot ${max}.`);
    return Number(value);
  };
  const count = single('count');
  if (count !== undefined && count !== 'true' && count !== 'false')
    invalid("De parameter 'count' is true of false.");
  return {
    query: {
      filters,
      sort: { field: sortField, direction: sortParam.startsWith('-') ? 'desc' : 'asc' },
      limit: integer('limit', 1, 100, 25),
      offset: integer('offset', 0, 100_000, 0),
      count: count === 'true',
    },
    minPosition: position(single('minPosition')),
  };
}
