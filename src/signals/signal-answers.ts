import type { JsonObject } from '../platform/json.js';

/**
 * What the signal endpoints answer: the API's contract, declared once. The server's controllers
 * are typed with it (so an answer that drifts from it does not compile) and the web app reads its
 * answers through it. Types only, importing nothing but the JSON types, so that the web's compiler
 * reads nothing else of the server.
 */

/** The answer to a signal command (POST /signals, POST /signals/{id}/{command}). */
export interface SignalCommandResult {
  signalId: string;
  /** The signal stream's revision after the command: the next `If-Match`. */
  revision: string;
  /** Global position of the command's last event: pass it as `minPosition` to read your write. */
  position: string;
  state: string;
  events: Array<{ id: string; type: string }>;
}

/** A signal as the inbox lists it (GET /signals): its inbox document without the scope keys. */
export type SignalListItem = {
  tenantId: string;
  signalId: string;
  title: string | null;
  state: string;
  /** False in terminal states (closed, rejected, merged). */
  open: boolean;
  themes: string[];
  targetGroups: string[];
  policyDomain: string | null;
  assigneeId: string | null;
  givenBy: string;
  organisationId: string | null;
  area: string | null;
  /** The area's kind (deelgemeente, wijk, hele-gemeente); absent in documents of before area types. */
  areaType?: string | null;
  urgency: string | null;
  structural: boolean | null;
  submittedAt: string;
  updatedAt: string;
  stateEnteredAt: string;
  dueAt: string | null;
  /** Open and past its current state's deadline, at the moment of the answer. */
  overdue: boolean;
  workflow: { name: string; version: number };
  /** The signal stream's revision the answer shows: what a command's If-Match carries. */
  revision: number;
  erased: boolean;
};

/** A page of the inbox (GET /signals). */
export interface SignalPage {
  items: SignalListItem[];
  /** Null when the query asked not to count. */
  total: number | null;
  hasMore: boolean;
  limit: number;
  offset: number;
}

/** One step of a signal's history, oldest first. */
export interface TimelineEntry {
  /** Global position, as a string: it may exceed a JSON number's safe range. */
  position: string;
  revision: number;
  type: string;
  at: string;
  actor: { id: string; role: string };
  /** Null for events that are no workflow command (an erasure). */
  command: string | null;
  from: string | null;
  to: string;
  /** The command's fields as recorded; erasable free text reads "[gewist]" once erased. */
  fields: JsonObject;
}

/** The dossier that holds a signal, with what was escalated and decided on it. */
export interface SignalDossier {
  dossierId: string;
  title: string;
  addedAt: string;
  /** Escalated to local policy or to the supra-local level. */
  escalations: Array<{ level: 'local' | 'supralocal'; body: string; motivation: string; at: string }>;
  decisions: Array<{ decision: string; feedback: string; at: string }>;
}

/** A signal in full (GET /signals/{id}). */
export interface SignalDetailAnswer extends SignalListItem {
  description: string | null;
  estimatedPeopleAffected: number | null;
  /** The signal this one was merged into, when it was. */
  mergedInto: string | null;
  dossier: SignalDossier | null;
  /** The state's label in the workflow definition the signal runs under. */
  stateLabel: string;
  /** Internal notes are left out for a signal giver. */
  timeline: TimelineEntry[];
  allowedCommands: Array<{ name: string; label: string; path: string }>;
}

/** A command the caller may give now, with the fields its body takes. */
export interface AllowedCommand {
  name: string;
  label: string;
  required: string[];
  optional: string[];
  /** Groups of fields of which at least one must be given. */
  requireOneOf?: string[][];
  path: string;
}

/** GET /signals/{id}/allowed-commands. */
export interface AllowedCommands {
  signalId: string;
  revision: string;
  commands: AllowedCommand[];
}

/**
 * What the event stream (GET /events/stream) tells a listener of a change: which signal, which
 * event, where in the log. Never any text.
 */
export interface SignalChange {
  signalId: string;
  type: string;
  position: string;
}

/** POST /signals/{id}/erase-text: the erasure recorded, and the data keys it destroyed. */
export interface ErasureResult {
  signalId: string;
  revision: string;
  position: string;
  /** Data keys destroyed by this erasure. */
  keysDestroyed: number;
}
