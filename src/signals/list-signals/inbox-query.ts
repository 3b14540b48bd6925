import { isCode } from '../../../workflows/taxonomy/taxonomy.js';
import { queryParams } from '../../platform/http/query-params.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';
import type { Filter, ListQuery } from '../../platform/read-store/read-store.port.js';

const STATES = new Set(WORKFLOWS.flatMap((definition) => Object.keys(definition.states)));
const SORTS = ['submittedAt', 'updatedAt', 'dueAt'] as const;
const URGENCIES = ['low', 'normal', 'high'] as const;
const SUBJECT = /^[\x21-\x7e]{1,200}$/;

/** How a parameter of `GET /signals` is described to clients (the OpenAPI document). */
export interface InboxParameter {
  name: string;
  /** For a person reading the API documentation (Dutch, with the glossary's terms). */
  description: string;
  schema: Record<string, unknown>;
  /** A list, written as `a,b,c` (OpenAPI: style form, not exploded). */
  list?: true;
}

/** A list parameter's schema: at most 20 values, of `values` when they are known up front. */
const listOf = (values: readonly string[] | null) => ({
  type: 'array',
  maxItems: 20,
  items: values === null ? { type: 'string' } : { type: 'string', enum: values },
});

/**
 * The parameters `GET /signals` takes, and nothing else: another one is refused (INVALID_QUERY).
 * The OpenAPI document lists these (signal-queries.openapi.ts), so the two cannot drift apart.
 */
export const INBOX_PARAMETERS: readonly InboxParameter[] = [
  {
    name: 'state',
    description: 'Toestanden, bv. submitted,assigned',
    schema: listOf([...STATES]),
    list: true,
  },
  {
    name: 'theme',
    description: "Thema's uit de taxonomie, bv. wonen,energie",
    schema: listOf(null),
    list: true,
  },
  { name: 'domain', description: 'Beleidsdomeinen uit de taxonomie', schema: listOf(null), list: true },
  {
    name: 'assignee',
    description: 'Toegewezen signaalverwerkers (hun id)',
    schema: listOf(null),
    list: true,
  },
  { name: 'urgency', description: 'Dringendheid', schema: listOf(URGENCIES), list: true },
  {
    name: 'area',
    description: 'Het gebied, zoals het signaal het noemt',
    schema: { type: 'string', maxLength: 100 },
  },
  {
    name: 'open',
    description: 'Enkel open (true) of afgesloten (false) signalen',
    schema: { type: 'boolean' },
  },
  {
    name: 'overdue',
    description:
      'Enkel open signalen over hun termijn (true), of signalen waarvan de termijn nog loopt (false)',
    schema: { type: 'boolean' },
  },
  {
    name: 'sort',
    description: 'Sorteren op submittedAt, updatedAt of dueAt; met - ervoor aflopend',
    schema: { type: 'string', enum: SORTS.flatMap((field) => [field, `-${field}`]), default: '-updatedAt' },
  },
  {
    name: 'limit',
    description: 'Signalen per pagina',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
  },
  {
    name: 'offset',
    description: 'Vanaf het hoeveelste signaal',
    schema: { type: 'integer', minimum: 0, maximum: 100_000, default: 0 },
  },
  {
    name: 'count',
    description: 'Ook het totaal tellen (total); zonder is total null',
    schema: { type: 'boolean', default: false },
  },
  {
    name: 'minPosition',
    description:
      'Wacht tot 2 s tot de leesmodellen deze positie (uit een antwoord op een opdracht) verwerkt hebben; ook als header X-Min-Position',
    schema: { type: 'string', pattern: '^\\d{1,45}$' },
  },
];

const PARAMS: readonly string[] = INBOX_PARAMETERS.map((parameter) => parameter.name);

export interface InboxRequest {
  query: ListQuery;
  minPosition: bigint | undefined;
}

function invalid(message: string): never {
  throw new ApiError(400, 'INVALID_QUERY', message);
}

/**
 * Builds the typed read-store query of `GET /signals` from the query string: every parameter is
 * checked against what it may hold and becomes a typed filter; nothing of the request passes
 * through as an object. The caller's scope is added as a filter the request cannot remove.
 */
export function inboxQuery(
  params: Record<string, unknown>,
  actor: AuthenticatedActor,
  now: Date,
): InboxRequest {
  const query = queryParams(params, PARAMS);
  const single = (name: string): string | undefined => query[name];
  const filters: Filter[] = [{ field: 'tenantId', op: 'eq', value: actor.tenantId }];
  const list = (name: string, check: (value: string) => boolean): string[] | undefined => {
    const value = single(name);
    if (value === undefined) return undefined;
    const values = value.split(',').filter((v) => v !== '');
    if (values.length === 0 || values.length > 20 || !values.every(check))
      invalid(`De parameter '${name}' bevat een onbekende waarde.`);
    return values;
  };
  const states = list('state', (v) => STATES.has(v));
  if (states) filters.push({ field: 'state', op: 'in', values: states });
  const themes = list('theme', (v) => isCode('themes', v));
  if (themes) filters.push({ field: 'themes', op: 'in', values: themes });
  const domains = list('domain', (v) => isCode('policyDomains', v));
  if (domains) filters.push({ field: 'policyDomain', op: 'in', values: domains });
  const assignees = list('assignee', (v) => SUBJECT.test(v));
  if (assignees) filters.push({ field: 'assigneeId', op: 'in', values: assignees });
  const urgency = list('urgency', (v) => (URGENCIES as readonly string[]).includes(v));
  if (urgency) filters.push({ field: 'urgency', op: 'in', values: urgency });
  const area = single('area');
  if (area !== undefined) {
    if (area.length < 1) invalid("De parameter 'area' is leeg: laat hem weg of geef een gebied.");
    if (area.length > 100) invalid("De parameter 'area' is te lang (hoogstens 100 tekens).");
    filters.push({ field: 'area', op: 'eq', value: area });
  }
  const open = boolean(single('open'), 'open');
  if (open !== undefined) filters.push({ field: 'open', op: 'eq', value: open });
  const overdue = boolean(single('overdue'), 'overdue');
  if (overdue === true) {
    filters.push(
      { field: 'open', op: 'eq', value: true },
      { field: 'dueAt', op: 'range', lt: now.toISOString() },
    );
  } else if (overdue === false) {
    filters.push({ field: 'dueAt', op: 'range', gte: now.toISOString() });
  }
  filters.push(...scopeFilters(actor));

  const sortParam = single('sort') ?? '-updatedAt';
  const sortField = sortParam.replace(/^-/, '');
  if (!(SORTS as readonly string[]).includes(sortField))
    invalid("De parameter 'sort' kan submittedAt, updatedAt of dueAt zijn (met - voor aflopend).");
  const limit = integer(single('limit'), 'limit', 1, 100) ?? 25;
  const offset = integer(single('offset'), 'offset', 0, 100_000) ?? 0;
  const minPosition = position(single('minPosition'));
  // A count costs with the number of matches; a page does not. Counted only when asked.
  const count = boolean(single('count'), 'count') ?? false;
  return {
    query: {
      filters,
      sort: { field: sortField, direction: sortParam.startsWith('-') ? 'desc' : 'asc' },
      limit,
      offset,
      count,
    },
    minPosition,
  };
}

/** DOMAIN.md's scope rules as filters; a lead processor sees the whole tenant. */
export function scopeFilters(actor: AuthenticatedActor): Filter[] {
  if (actor.roles.includes('lead-processor')) return [];
  // Engagement mode 2: a partner-processor with a mandate for the whole territory.
  if (actor.roles.includes('partner-processor') && actor.partnerScope === 'territory') return [];
  const keys: string[] = [];
  if (actor.roles.includes('signal-giver')) keys.push(`giver:${actor.id}`);
  if (actor.roles.includes('processor')) {
    keys.push(`assignee:${actor.id}`, ...actor.policyDomains.map((domain) => `domain:${domain}`));
  }
  if (actor.roles.includes('partner-processor') && actor.organisationId && actor.partnerScope !== 'none')
    keys.push(`org:${actor.organisationId}`);
  // No key: nothing matches (scopeKeys never holds the empty marker).
  return [{ field: 'scopeKeys', op: 'in', values: keys.length > 0 ? keys : ['none:'] }];
}

function boolean(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return invalid(`De parameter '${name}' is true of false.`);
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,7}$/.test(value) || Number(value) < min || Number(value) > max) {
    invalid(`De parameter '${name}' is een geheel getal van ${min} tot ${max}.`);
  }
  return Number(value);
}

/**
 * `minPosition` as a query parameter or header gives it: one text of digits. A parameter given
 * twice (an array from the query string) is refused as well.
 */
export function position(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,45}$/.test(value))
    invalid('minPosition is een positie uit een antwoord op een opdracht.');
  return BigInt(value);
}
