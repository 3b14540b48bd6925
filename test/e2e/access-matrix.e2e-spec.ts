import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { ActorClaims } from '../../src/auth/actor.js';
import type { EventStore } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { ROLES, type Role } from '../../workflows/roles.js';
import definitionJson from '../../workflows/signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };
import { countEvents, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * QUALITY.md "Security": one table-driven access matrix, role × endpoint × scope. The expected
 * outcome of every cell is derived from the workflow definition (which role may fire which
 * command, from which state) and DOMAIN.md's scope rules, never from the code under test:
 *
 * - a role that appears in no command of the definition (official, supralocal-analyst, auditor,
 *   tenant-admin) never reaches an individual signal: 403 on every signal endpoint, except that
 *   the auditor reads decision histories of its own tenant (DOMAIN.md): GET /signals/{id}/history
 *   and GET /signals/{id}?asOf=, for every signal of the tenant, as the lead-processor can;
 * - GET /audit/verify is the auditor's; GET /audit/reads the lead-processor's and the auditor's;
 * - a command outside the caller's role: 403, whatever the signal (the role is checked first, so
 *   the answer does not reveal whether the signal exists);
 * - a signal outside the caller's scope or in another tenant: 404, as if it did not exist;
 * - a command its signal's state does not allow: 409; otherwise 2xx.
 *
 * Scope (DOMAIN.md): the lead-processor sees the whole tenant; a processor the signals assigned
 * to them or to their policy domain; a partner-processor of an organisation in engagement mode 1
 * the signals of its organisation's staff, of mode 2 (by mandate) the whole territory; a signal
 * giver their own signals.
 *
 * Tenant administration (DOMAIN.md "beheerder"): GET /tenant for the tenant-admin, lead-processor,
 * official and auditor; PATCH /tenant/settings, POST /organisations and GET /people for the
 * tenant-admin only; POST /invites and GET /people/assignees for the tenant-admin and the
 * lead-processor; GET /organisations
 * for every role that works in the tenant (not the signal giver nor the supra-local analyst).
 *
 * Privacy (DOMAIN.md "Privacy rules", issue #4 part 4): POST /signals/{id}/erase-text is the
 * lead-processor's, for every signal of its tenant (tenant-wide view), 404 for another tenant's;
 * POST /people/{id}/erase is the tenant-admin's (tenant settings and people), 404 for a person of
 * another tenant. Supra-local views (DOMAIN.md "supralocal-analyst": cross-municipality,
 * aggregated and suppressed only): GET /supralocal/patterns and GET /supralocal/themes/{code} for
 * the supra-local analyst; for a lead-processor only while its tenant opted in to supra-local
 * bundling (403 SUPRALOCAL_NOT_OPTED_IN otherwise); 403 for everyone else. The quarterly
 * supra-local brief (issue #9 item 5: POST/GET /supralocal/briefs, GET …/{id}, GET …/{id}/download)
 * is the supra-local analyst's only: 403 ROLE_NOT_ALLOWED for every municipality role.
 */

type Outcome = '2xx' | '403' | '404' | '409';
type Scope =
  | 'own'
  | 'own, wrong state'
  | 'same tenant, not permitted'
  | 'same tenant, tenant-wide'
  | 'other tenant'
  | 'tenant not opted in';

interface CommandSpec {
  from: string[];
  to: string;
  roles: string[];
  required: string[];
  optional: string[];
  requireOneOf?: string[][];
}
const COMMANDS = definitionJson.commands as Record<string, CommandSpec>;
const SUBMIT = Object.entries(COMMANDS).find(([, spec]) => spec.from.length === 0)![0];
const STATE_COMMANDS = Object.keys(COMMANDS).filter((name) => name !== SUBMIT);
/** Roles that may act on signals at all: those the definition names for some command. */
const SIGNAL_ROLES = new Set(Object.values(COMMANDS).flatMap((spec) => spec.roles));
/** DOMAIN.md: the auditor reads decision histories, read-only, of one tenant. */
const AUDIT_READERS = new Set<string>([...SIGNAL_ROLES, 'auditor']);
/** Whose scope for audit reads is the whole tenant. */
const TENANT_WIDE_READERS = new Set<string>(['lead-processor', 'auditor']);

// ---- who is who ----

const HOME = 'gent';
const ELSEWHERE = 'eeklo';

/** One caller per role, all in the home tenant; the partner-processor once per engagement mode. */
const ROLE_CLAIMS: Record<Role, Partial<ActorClaims>> = {
  'signal-giver': { sub: 'giver-a', roles: ['signal-giver'], org: 'org-a' },
  'lead-processor': { sub: 'lead-a', roles: ['lead-processor'] },
  processor: { sub: 'proc-a', roles: ['processor'], domains: ['wonen'] },
  'partner-processor': { sub: 'partner-a', roles: ['partner-processor'], org: 'org-a' },
  official: { sub: 'official-a', roles: ['official'] },
  'supralocal-analyst': { sub: 'analyst-a', roles: ['supralocal-analyst'] },
  auditor: { sub: 'auditor-a', roles: ['auditor'] },
  'tenant-admin': { sub: 'admin-a', roles: ['tenant-admin'] },
};

interface Caller {
  name: string;
  role: Role;
  claims: Partial<ActorClaims>;
  /** Whether every signal of the tenant is in its scope. */
  tenantWide: boolean;
}

const PARTNER_MODE_2 = 'partner-processor (mode 2)';
const CALLERS: Caller[] = [
  ...ROLES.map((role) => ({
    name: role === 'partner-processor' ? 'partner-processor (mode 1)' : role,
    role,
    claims: ROLE_CLAIMS[role],
    tenantWide: role === 'lead-processor',
  })),
  {
    name: PARTNER_MODE_2,
    role: 'partner-processor',
    claims: { sub: 'partner-m2', roles: ['partner-processor'], org: 'org-m2' },
    tenantWide: true,
  },
];

/** The organisations of the home tenant: org-a in mode 1, org-m2 in mode 2, org-b (giver-b's) in mode 3. */
const ORGANISATIONS = [
  { id: 'org-a', name: 'Organisatie A', engagementMode: 1 },
  { id: 'org-m2', name: 'Organisatie met mandaat', engagementMode: 2 },
  { id: 'org-b', name: 'Organisatie B', engagementMode: 3 },
];

/**
 * Whose signal it is. `mine` is in every home caller's scope: given by giver-a of org-a, assigned
 * to proc-a and the wonen domain. `theirs` is in nobody's scope but the lead's: given by giver-b
 * of org-b, assigned to proc-b and the jeugd domain. `abroad` is `mine` in every respect except
 * the tenant, so only the tenant can keep it out.
 */
interface Profile {
  tenant: string;
  giver: Partial<ActorClaims>;
  assign: JsonObject;
}
const PROFILES = {
  mine: {
    tenant: HOME,
    giver: { sub: 'giver-a', roles: ['signal-giver'], org: 'org-a' },
    assign: { assigneeId: 'proc-a', policyDomain: 'wonen' },
  },
  theirs: {
    tenant: HOME,
    giver: { sub: 'giver-b', roles: ['signal-giver'], org: 'org-b' },
    assign: { assigneeId: 'proc-b', policyDomain: 'jeugd' },
  },
  abroad: {
    tenant: ELSEWHERE,
    giver: { sub: 'giver-a', roles: ['signal-giver'], org: 'org-a' },
    assign: { assigneeId: 'proc-a', policyDomain: 'wonen' },
  },
} satisfies Record<string, Profile>;
type ProfileName = keyof typeof PROFILES;

const SCOPE_PROFILE: Record<Scope, ProfileName> = {
  own: 'mine',
  'own, wrong state': 'mine',
  'same tenant, not permitted': 'theirs',
  'same tenant, tenant-wide': 'theirs',
  'other tenant': 'abroad',
  'tenant not opted in': 'mine',
};

// ---- valid bodies and the way to each state ----

const SAMPLE: Record<string, JsonObject[string]> = {
  title: 'Huurwoningen voor grote gezinnen ontbreken',
  description: 'Gezinnen met vier of meer kinderen vinden in de stad geen betaalbare huurwoning.',
  themes: ['wonen'],
  reason: 'Individuele vraag, doorverwezen.',
  feedback: 'Dank u, we verwijzen door naar het OCMW.',
  question: 'Over hoeveel gezinnen gaat het?',
  answer: 'Een twintigtal gezinnen.',
  conclusion: 'Structureel tekort aan grote huurwoningen.',
  structural: true,
  level: 'local',
  body: 'college van burgemeester en schepenen',
  motivation: 'Vraagt een beleidskeuze.',
  decision: 'Het college breidt de huurpremie uit.',
  outcome: 'Huurpremie uitgebreid.',
  note: 'Opvolgen na de zomer.',
  assigneeId: 'proc-a',
  policyDomain: 'wonen',
  dossierId: '0190a8c2-7d3e-7000-8000-000000000002',
  deadlineState: 'assigned',
  dueAt: '2026-03-04T09:00:00.000Z',
};

/** The required fields of a command (and the first of each one-of group), valid; `given` wins. */
function validBody(command: string, given: JsonObject = {}): JsonObject {
  const spec = COMMANDS[command]!;
  const body: JsonObject = {};
  for (const name of [...spec.required, ...(spec.requireOneOf ?? []).map((group) => group[0]!)]) {
    const value = given[name] ?? SAMPLE[name];
    if (value === undefined) throw new Error(`no sample value for ${command}.${name}`);
    body[name] = value;
  }
  return body;
}

/** The lead-processor's way from a fresh submission to each state (assignment before analysis). */
function pathTo(state: string, profile: Profile): Array<[string, JsonObject]> {
  const assigned: Array<[string, JsonObject]> = [
    ['triage', {}],
    ['assign', profile.assign],
  ];
  const analysed: Array<[string, JsonObject]> = [
    ...assigned,
    ['start-analysis', {}],
    ['record-analysis', validBody('record-analysis')],
  ];
  const closed: Array<[string, JsonObject]> = [...analysed, ['close', validBody('close')]];
  const paths: Record<string, Array<[string, JsonObject]>> = {
    assigned,
    'in-analysis': [...assigned, ['start-analysis', {}]],
    analysed,
    escalated: [...analysed, ['escalate', validBody('escalate')]],
    'awaiting-info': [...assigned, ['request-info', validBody('request-info')]],
    closed,
    submitted: [],
    triaged: [['triage', {}]],
    reopened: [...closed, ['reopen', validBody('reopen')]],
    rejected: [['reject', validBody('reject')]],
  };
  const path = paths[state];
  if (!path) throw new Error(`no path to state ${state}`);
  return path;
}

// States by preference: after assignment first, so that processors have a scope to be in.
const STATE_PREFERENCE = [
  'assigned',
  'in-analysis',
  'analysed',
  'escalated',
  'awaiting-info',
  'closed',
  'submitted',
  'triaged',
  'reopened',
  'rejected',
];

/** A state the command can fire in, from the definition. */
function readyState(command: string): string {
  const from = COMMANDS[command]!.from;
  const state = from.includes('*') ? 'assigned' : STATE_PREFERENCE.find((s) => from.includes(s));
  if (!state) throw new Error(`no reachable state for ${command}`);
  return state;
}

/** A state the command cannot fire in, or null when it fires in any state. */
function wrongState(command: string): string | null {
  const from = COMMANDS[command]!.from;
  if (from.includes('*')) return null;
  return STATE_PREFERENCE.find((s) => !from.includes(s)) ?? null;
}

// ---- the matrix ----

type AdminEndpoint =
  'tenant' | 'settings' | 'organisations' | 'register-organisation' | 'invite' | 'people' | 'assignees';

/** Who may use each tenant-administration endpoint (DOMAIN.md), and how it is called. */
const ADMIN_ENDPOINTS: Record<AdminEndpoint, { label: string; roles: Role[] }> = {
  tenant: { label: 'GET /tenant', roles: ['tenant-admin', 'lead-processor', 'official', 'auditor'] },
  settings: { label: 'PATCH /tenant/settings', roles: ['tenant-admin'] },
  organisations: {
    label: 'GET /organisations',
    roles: ['tenant-admin', 'lead-processor', 'processor', 'partner-processor', 'official', 'auditor'],
  },
  'register-organisation': { label: 'POST /organisations', roles: ['tenant-admin'] },
  invite: { label: 'POST /invites', roles: ['tenant-admin', 'lead-processor'] },
  people: { label: 'GET /people', roles: ['tenant-admin'] },
  assignees: { label: 'GET /people/assignees', roles: ['tenant-admin', 'lead-processor'] },
};

type Endpoint =
  | { kind: 'admin'; endpoint: AdminEndpoint }
  | { kind: 'me' }
  | { kind: 'submit' }
  | { kind: 'read'; path: '' | '/allowed-commands' }
  | { kind: 'audit-read'; path: '/history' | '?asOf=0' }
  | { kind: 'verify' }
  | { kind: 'reads' }
  | { kind: 'command'; command: string }
  | { kind: 'erase-text' }
  | { kind: 'erase-person' }
  | { kind: 'supralocal'; path: '/patterns' | '/themes/wonen' }
  | { kind: 'supralocal-brief'; action: SupralocalBriefAction };

type SupralocalBriefAction = 'request' | 'list' | 'get' | 'download';
const SUPRALOCAL_BRIEF_ACTIONS: SupralocalBriefAction[] = ['request', 'list', 'get', 'download'];
/** A quarter that has ended whenever the suite runs; the analyst's request of it makes the brief. */
const SUPRALOCAL_BRIEF_QUARTER = '2026-Q1';
const SUPRALOCAL_BRIEF_ID = `supralocal-brief__${SUPRALOCAL_BRIEF_QUARTER}__1`;
const SUPRALOCAL_BRIEF_LABELS: Record<SupralocalBriefAction, string> = {
  request: 'POST /supralocal/briefs',
  list: 'GET /supralocal/briefs',
  get: 'GET /supralocal/briefs/{id}',
  download: 'GET /supralocal/briefs/{id}/download',
};

interface Case {
  caller: Caller;
  role: Role;
  endpoint: Endpoint;
  scope: Scope;
  expected: Outcome;
  /** The error code DOMAIN.md calls for, where it names one. */
  expectedCode?: string;
}

function label(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'admin':
      return ADMIN_ENDPOINTS[endpoint.endpoint].label;
    case 'me':
      return 'GET /me';
    case 'submit':
      return 'POST /signals';
    case 'read':
    case 'audit-read':
      return `GET /signals/{id}${endpoint.path}`;
    case 'verify':
      return 'GET /audit/verify';
    case 'reads':
      return 'GET /audit/reads';
    case 'command':
      return `POST /signals/{id}/${endpoint.command}`;
    case 'erase-text':
      return 'POST /signals/{id}/erase-text';
    case 'erase-person':
      return 'POST /people/{id}/erase';
    case 'supralocal':
      return endpoint.path === '/patterns' ? 'GET /supralocal/patterns' : 'GET /supralocal/themes/{code}';
    case 'supralocal-brief':
      return SUPRALOCAL_BRIEF_LABELS[endpoint.action];
  }
}

/** The outcome DOMAIN.md and the definition call for. */
function expectedOutcome(role: Role, endpoint: Endpoint, scope: Scope): Outcome {
  if (endpoint.kind === 'me') return '2xx';
  if (endpoint.kind === 'erase-text') {
    if (role !== 'lead-processor') return '403';
    return scope === 'other tenant' ? '404' : '2xx';
  }
  if (endpoint.kind === 'erase-person') {
    if (role !== 'tenant-admin') return '403';
    return scope === 'other tenant' ? '404' : '2xx';
  }
  if (endpoint.kind === 'supralocal') {
    if (role === 'supralocal-analyst') return '2xx';
    if (role === 'lead-processor') return scope === 'tenant not opted in' ? '403' : '2xx';
    return '403';
  }
  if (endpoint.kind === 'supralocal-brief') return role === 'supralocal-analyst' ? '2xx' : '403';
  if (endpoint.kind === 'admin')
    return ADMIN_ENDPOINTS[endpoint.endpoint].roles.includes(role) ? '2xx' : '403';
  if (endpoint.kind === 'verify') return role === 'auditor' ? '2xx' : '403';
  if (endpoint.kind === 'reads') return role === 'lead-processor' || role === 'auditor' ? '2xx' : '403';
  if (endpoint.kind === 'audit-read') {
    if (!AUDIT_READERS.has(role)) return '403';
    return scope === 'own' || scope === 'same tenant, tenant-wide' ? '2xx' : '404';
  }
  if (!SIGNAL_ROLES.has(role)) return '403';
  if (endpoint.kind === 'submit') return COMMANDS[SUBMIT]!.roles.includes(role) ? '2xx' : '403';
  if (endpoint.kind === 'command' && !COMMANDS[endpoint.command]!.roles.includes(role)) return '403';
  if (scope === 'other tenant' || scope === 'same tenant, not permitted') return '404';
  if (scope === 'own, wrong state') return '409';
  return '2xx';
}

function buildMatrix(): Case[] {
  const cases: Case[] = [];
  for (const caller of CALLERS) {
    const { role } = caller;
    const add = (_role: Role, endpoint: Endpoint, scope: Scope) => {
      const expected = expectedOutcome(role, endpoint, scope);
      const expectedCode =
        endpoint.kind === 'supralocal' && role === 'lead-processor' && expected === '403'
          ? 'SUPRALOCAL_NOT_OPTED_IN'
          : endpoint.kind === 'supralocal-brief' && expected === '403'
            ? 'ROLE_NOT_ALLOWED'
            : undefined;
      cases.push({ caller, role, endpoint, scope, expected, ...(expectedCode ? { expectedCode } : {}) });
    };
    // A tenant-wide caller has no same-tenant signal outside its scope: it gets the other's signal as its own.
    const sameTenant: Scope = caller.tenantWide ? 'same tenant, tenant-wide' : 'same tenant, not permitted';
    add(role, { kind: 'me' }, 'own');
    for (const endpoint of Object.keys(ADMIN_ENDPOINTS) as AdminEndpoint[]) {
      add(role, { kind: 'admin', endpoint }, 'own');
    }
    add(role, { kind: 'submit' }, 'own');
    // The tenant comes from the token: a body, query or header naming another tenant changes nothing.
    add(role, { kind: 'submit' }, 'other tenant');
    for (const path of ['', '/allowed-commands'] as const) {
      add(role, { kind: 'read', path }, 'own');
      add(role, { kind: 'read', path }, sameTenant);
      add(role, { kind: 'read', path }, 'other tenant');
    }
    for (const path of ['/history', '?asOf=0'] as const) {
      add(role, { kind: 'audit-read', path }, 'own');
      // For a tenant-wide reader every signal of the tenant is its own.
      add(
        role,
        { kind: 'audit-read', path },
        TENANT_WIDE_READERS.has(role) || caller.tenantWide
          ? 'same tenant, tenant-wide'
          : 'same tenant, not permitted',
      );
      add(role, { kind: 'audit-read', path }, 'other tenant');
    }
    add(role, { kind: 'verify' }, 'own');
    add(role, { kind: 'reads' }, 'own');
    for (const command of STATE_COMMANDS) {
      add(role, { kind: 'command', command }, 'own');
      if (wrongState(command) !== null) add(role, { kind: 'command', command }, 'own, wrong state');
      add(role, { kind: 'command', command }, sameTenant);
      add(role, { kind: 'command', command }, 'other tenant');
    }
    add(role, { kind: 'erase-text' }, 'own');
    add(role, { kind: 'erase-text' }, sameTenant);
    add(role, { kind: 'erase-text' }, 'other tenant');
    add(role, { kind: 'erase-person' }, 'own');
    add(role, { kind: 'erase-person' }, 'other tenant');
    for (const path of ['/patterns', '/themes/wonen'] as const) {
      add(role, { kind: 'supralocal', path }, 'own');
      add(role, { kind: 'supralocal', path }, 'tenant not opted in');
    }
    for (const action of SUPRALOCAL_BRIEF_ACTIONS) add(role, { kind: 'supralocal-brief', action }, 'own');
  }
  return cases;
}

function outcomeOf(status: number): string {
  return status >= 200 && status < 300 ? '2xx' : String(status);
}

/** Counts the events appended since the last call, reading `$all` from where it stopped. */
async function eventCursor(store: EventStore) {
  let last: bigint | undefined;
  const cursor = {
    seen: 0,
    async newEvents(): Promise<number> {
      let added = 0;
      for await (const event of store.readAll(last === undefined ? {} : { fromPosition: last + 1n })) {
        added += 1;
        last = event.position;
      }
      cursor.seen += added;
      return added;
    },
  };
  await cursor.newEvents();
  return cursor;
}

describe('access matrix: role × endpoint × scope', () => {
  let t: TestApp;
  const callerTokens = new Map<string, string>();
  const leads = new Map<string, string>();
  const givers = new Map<string, string>();
  const admins = new Map<string, string>();
  let people = 0;

  /** The home tenant's supra-local opt-in, set by its tenant-admin as a setting. */
  async function setOptIn(supralocalOptIn: boolean): Promise<void> {
    await t.http
      .patch('/tenant/settings')
      .set('Authorization', `Bearer ${admins.get(HOME)!}`)
      .send({ supralocalOptIn })
      .expect(200);
  }

  /** Waits until the supra-local brief the analyst requested has its outcome (generated or failed). */
  async function briefDone(token: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await t.http
        .get(`/supralocal/briefs/${SUPRALOCAL_BRIEF_ID}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      if (body.status === 'generated' || body.status === 'failed') return;
      if (Date.now() > deadline) throw new Error(`supra-local brief still ${String(body.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A person with an account in `tenant`: invited by its tenant-admin, invite accepted. */
  async function personIn(tenant: string): Promise<string> {
    people += 1;
    const invite = await t.http
      .post('/invites')
      .set('Authorization', `Bearer ${admins.get(tenant)!}`)
      .send({ email: `persoon-${people}@${tenant}.be`, roles: ['signal-giver'] })
      .expect(201);
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant, token: invite.body.token, name: `Persoon ${people}`, password: 'een lang wachtwoord' })
      .expect(201);
    return accepted.body.personId as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const tenants = t.app.get(TenantsService);
    const platform = { id: 'platform-admin', role: 'platform-admin' };
    await tenants.createTenant(platform, {
      tenantId: HOME,
      name: 'Gent',
      nisCode: '44021',
      populationBand: 'gt-100000',
    });
    await tenants.createTenant(platform, {
      tenantId: ELSEWHERE,
      name: 'Eeklo',
      nisCode: '43005',
      populationBand: '10000-25000',
    });
    for (const organisation of ORGANISATIONS)
      await tenants.registerOrganisation(platform, HOME, organisation);
    for (const caller of CALLERS)
      callerTokens.set(caller.name, await t.token({ ...caller.claims, tenant: HOME }));
    for (const tenant of [HOME, ELSEWHERE]) {
      leads.set(tenant, await t.token({ sub: `lead-${tenant}`, tenant, roles: ['lead-processor'] }));
    }
    for (const [name, profile] of Object.entries(PROFILES)) {
      givers.set(name, await t.token({ ...profile.giver, tenant: profile.tenant }));
    }
    for (const tenant of [HOME, ELSEWHERE]) {
      admins.set(tenant, await t.token({ sub: `admin-${tenant}`, tenant, roles: ['tenant-admin'] }));
    }
    await setOptIn(true);
  });
  afterAll(() => t.close());

  /** A fresh signal of this profile, brought into `state` by its tenant's lead-processor. */
  async function signalIn(profileName: ProfileName, state: string): Promise<string> {
    const profile: Profile = PROFILES[profileName];
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${givers.get(profileName)!}`)
      .send(validBody(SUBMIT));
    expect(submitted.status).toBe(201);
    const id = submitted.body.signalId as string;
    for (const [command, body] of pathTo(state, profile)) {
      const response = await t.http
        .post(`/signals/${id}/${command}`)
        .set('Authorization', `Bearer ${leads.get(profile.tenant)!}`)
        .send(body);
      expect({ setup: command, status: response.status }).toEqual({ setup: command, status: 200 });
    }
    return id;
  }

  it('answers every role × endpoint × scope as the definition and the scope rules say', async () => {
    const cases = buildMatrix();
    const cursor = await eventCursor(t.store);
    // Refused requests leave their signal as it was, so they share one per profile and state;
    // a case expected to succeed, or one that did, gets a fresh signal.
    const pool = new Map<string, string>();
    const signalFor = async (profile: ProfileName, state: string, fresh: boolean): Promise<string> => {
      const key = `${profile}:${state}`;
      if (!fresh && pool.has(key)) return pool.get(key)!;
      const id = await signalIn(profile, state);
      if (!fresh) pool.set(key, id);
      return id;
    };
    const mergeTarget = await signalIn('mine', 'submitted');

    const results: Array<Case & { status: number; code: string; outcome: string; events: number }> = [];
    let serial = 0;
    for (const testCase of cases) {
      const { caller, endpoint, scope, expected } = testCase;
      const token = callerTokens.get(caller.name)!;
      const fresh = expected === '2xx';
      let response: Response;
      let signalId: string;
      let requestEvents: number | undefined;
      switch (endpoint.kind) {
        case 'me':
          response = await t.http.get('/me').set('Authorization', `Bearer ${token}`);
          break;
        case 'admin': {
          serial += 1;
          const auth = `Bearer ${token}`;
          const admin = {
            tenant: () => t.http.get('/tenant').set('Authorization', auth),
            settings: () =>
              t.http
                .patch('/tenant/settings')
                .set('Authorization', auth)
                .send({ retentionYears: 5 + (serial % 3) }),
            organisations: () => t.http.get('/organisations').set('Authorization', auth),
            'register-organisation': () =>
              t.http
                .post('/organisations')
                .set('Authorization', auth)
                .send({ id: `org-matrix-${serial}`, name: `Organisatie ${serial}`, engagementMode: 3 }),
            invite: () =>
              t.http
                .post('/invites')
                .set('Authorization', auth)
                .send({ email: `matrix-${serial}@stad.gent`, roles: ['signal-giver'] }),
            people: () => t.http.get('/people').set('Authorization', auth),
            assignees: () => t.http.get('/people/assignees').set('Authorization', auth),
          } satisfies Record<AdminEndpoint, () => unknown>;
          response = await admin[endpoint.endpoint]();
          break;
        }
        case 'submit':
          response =
            scope === 'own'
              ? await t.http.post('/signals').set('Authorization', `Bearer ${token}`).send(validBody(SUBMIT))
              : await t.http
                  .post(`/signals?tenantId=${ELSEWHERE}&tenant=${ELSEWHERE}`)
                  .set('Authorization', `Bearer ${token}`)
                  .set('X-Tenant', ELSEWHERE)
                  .send(validBody(SUBMIT));
          break;
        case 'verify':
        case 'reads':
          response = await t.http
            .get(endpoint.kind === 'verify' ? '/audit/verify' : '/audit/reads')
            .set('Authorization', `Bearer ${token}`);
          break;
        case 'read':
        case 'audit-read':
          signalId = await signalFor(SCOPE_PROFILE[scope], 'assigned', false);
          await cursor.newEvents(); // the setup
          response = await t.http
            .get(`/signals/${signalId}${endpoint.path}`)
            .set('X-Min-Position', await t.head())
            .set('Authorization', `Bearer ${token}`);
          break;
        case 'command': {
          const state =
            scope === 'own, wrong state' ? wrongState(endpoint.command)! : readyState(endpoint.command);
          signalId = await signalFor(SCOPE_PROFILE[scope], state, fresh);
          await cursor.newEvents(); // the setup
          response = await t.http
            .post(`/signals/${signalId}/${endpoint.command}`)
            .set('Authorization', `Bearer ${token}`)
            .send(validBody(endpoint.command, { targetSignalId: mergeTarget }));
          break;
        }
        case 'erase-text':
          signalId = await signalFor(SCOPE_PROFILE[scope], 'assigned', fresh);
          await cursor.newEvents(); // the setup
          response = await t.http
            .post(`/signals/${signalId}/erase-text`)
            .set('Authorization', `Bearer ${token}`)
            .send({ reason: 'Op vraag van de signaalgever.' });
          break;
        case 'erase-person': {
          const tenant = scope === 'other tenant' ? ELSEWHERE : HOME;
          const key = `person:${tenant}`;
          const personId = !fresh && pool.has(key) ? pool.get(key)! : await personIn(tenant);
          if (!fresh) pool.set(key, personId);
          await cursor.newEvents(); // the setup
          response = await t.http
            .post(`/people/${personId}/erase`)
            .set('Authorization', `Bearer ${token}`)
            .send({ reason: 'Vertrokken bij de organisatie.' });
          break;
        }
        case 'supralocal': {
          if (scope === 'tenant not opted in') await setOptIn(false);
          await cursor.newEvents(); // the setup
          response = await t.http.get(`/supralocal${endpoint.path}`).set('Authorization', `Bearer ${token}`);
          requestEvents = await cursor.newEvents();
          if (scope === 'tenant not opted in') await setOptIn(true);
          await cursor.newEvents(); // the setup, undone
          break;
        }
        case 'supralocal-brief': {
          await cursor.newEvents(); // the setup
          const auth = `Bearer ${token}`;
          const path = `/supralocal/briefs/${SUPRALOCAL_BRIEF_ID}`;
          response = await {
            request: () =>
              t.http
                .post('/supralocal/briefs')
                .set('Authorization', auth)
                .send({ period: SUPRALOCAL_BRIEF_QUARTER }),
            list: () => t.http.get('/supralocal/briefs').set('Authorization', auth),
            get: () => t.http.get(path).set('Authorization', auth),
            download: () => t.http.get(`${path}/download?format=md`).set('Authorization', auth),
          }[endpoint.action]();
          // The brief the request queued is generated before the next case counts its events.
          if (endpoint.action === 'request' && response.status === 202) await briefDone(token);
          break;
        }
      }
      const events = requestEvents ?? (await cursor.newEvents());
      const outcome = outcomeOf(response.status);
      const code = typeof response.body?.code === 'string' ? (response.body.code as string) : '';
      results.push({ ...testCase, status: response.status, code, outcome, events });
      // A signal that changed (unexpectedly) is no longer the pooled one's state.
      if (outcome === '2xx' && !fresh) pool.clear();
      if (outcome !== '2xx' && response.status < 500) {
        expect(response.body).toMatchObject({ statusCode: response.status, code: expect.any(String) });
      }
    }

    const describeCase = (r: (typeof results)[number]) =>
      `${r.caller.name} ${label(r.endpoint)} [${r.scope}]: expected ${r.expected} ${r.expectedCode ?? ''}, got ${r.status} ${r.code}`.trim() +
      (r.events > 0 && r.outcome !== '2xx' ? ` with ${r.events} event(s)` : '');
    const unexpected2xx = results.filter((r) => r.outcome === '2xx' && r.expected !== '2xx');
    const missing2xx = results.filter((r) => r.expected === '2xx' && r.outcome !== '2xx');
    const otherMismatches = results.filter(
      (r) =>
        r.expected !== '2xx' &&
        r.outcome !== '2xx' &&
        (r.outcome !== r.expected || (r.expectedCode !== undefined && r.code !== r.expectedCode)),
    );
    const refusedWithEvents = results.filter((r) => r.outcome !== '2xx' && r.events !== 0);
    const expected2xx = results.filter((r) => r.expected === '2xx').length;
    const byOutcome = new Map<string, number>();
    for (const r of results) byOutcome.set(r.expected, (byOutcome.get(r.expected) ?? 0) + 1);

    const endpoints = new Set(results.map((r) => label(r.endpoint)));
    console.info(
      `Access matrix: ${CALLERS.length} roles × ${endpoints.size} endpoints × 3 scopes = ${results.length} cases, ` +
        `${unexpected2xx.length} unexpected 2xx`,
    );
    console.info(
      `access matrix: ${results.length} cases, ${unexpected2xx.length} unexpected 2xx` +
        ` (${CALLERS.length} callers × ${endpoints.size} endpoints × scopes; expected ` +
        `${[...byOutcome].map(([o, n]) => `${o}×${n}`).join(' ')}; ` +
        `${expected2xx - missing2xx.length}/${expected2xx} expected 2xx happened)`,
    );
    expect(unexpected2xx.map(describeCase)).toEqual([]);
    expect(missing2xx.map(describeCase)).toEqual([]);
    expect(otherMismatches.map(describeCase)).toEqual([]);
    expect(refusedWithEvents.map(describeCase)).toEqual([]);
    expect(await countEvents(t.store)).toBe(cursor.seen);
  }, 120_000);

  it('puts a submit in the token tenant whatever the request names', async () => {
    const response = await t.http
      .post(`/signals?tenantId=${ELSEWHERE}`)
      .set('Authorization', `Bearer ${callerTokens.get('signal-giver')!}`)
      .set('X-Tenant', ELSEWHERE)
      .send(validBody(SUBMIT))
      .expect(201);
    const id = response.body.signalId as string;
    await t.http
      .get(`/signals/${id}`)
      .set('X-Min-Position', await t.head())
      .set('Authorization', `Bearer ${leads.get(HOME)!}`)
      .expect(200);
    await t.http
      .get(`/signals/${id}`)
      .set('Authorization', `Bearer ${leads.get(ELSEWHERE)!}`)
      .expect(404);
  });

  it('lists as allowed exactly the commands the matrix lets each role fire on its own signal', async () => {
    for (const caller of CALLERS.filter((c) => SIGNAL_ROLES.has(c.role))) {
      const role = caller.role;
      for (const state of ['assigned', 'in-analysis', 'awaiting-info', 'closed']) {
        const id = await signalIn('mine', state);
        const response = await t.http
          .get(`/signals/${id}/allowed-commands`)
          .set('Authorization', `Bearer ${callerTokens.get(caller.name)!}`)
          .expect(200);
        const listed = (response.body.commands as Array<{ name: string }>).map((c) => c.name).sort();
        const derived = STATE_COMMANDS.filter((command) => {
          const spec = COMMANDS[command]!;
          return spec.roles.includes(role) && (spec.from.includes('*') || spec.from.includes(state));
        }).sort();
        expect({ role, state, listed }).toEqual({ role, state, listed: derived });
      }
    }
  });
});
