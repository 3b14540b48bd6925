/**
 * What the dossier endpoints and the bundling suggestions answer: the API's contract, declared
 * once. The controllers are typed with it and the web app reads its answers through it. Types
 * only, with no imports, so that the web's compiler reads nothing else of the server.
 */

/** The answer to a dossier command (POST /dossiers, POST /dossiers/{id}/{command}). */
export interface DossierCommandResult {
  dossierId: string;
  /** The dossier stream's revision after the command: the next `If-Match`. */
  revision: string;
  /** Global position of the event: pass it as `minPosition` to read your write. */
  position: string;
  state: string;
  events: Array<{ id: string; type: string }>;
}

/** A dossier as GET /dossiers lists it. */
export type DossierListItem = {
  tenantId: string;
  dossierId: string;
  title: string;
  /** The dossier's themes and those its analysis named. */
  themes: string[];
  /** The dossier's phase: open, analysed, escalated, decided or closed. */
  state: string;
  /** The phase as people read it (Bundelen, Geanalyseerd, …). */
  stateLabel: string;
  open: boolean;
  /** Escalation levels reached (local, supralocal). */
  levels: string[];
  memberCount: number;
  memberSignalIds: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** The dossier stream's revision: what a command's If-Match carries. */
  revision: number;
};

/** A page of GET /dossiers. */
export interface DossierPage {
  items: DossierListItem[];
  total: number | null;
  hasMore: boolean;
  limit: number;
  offset: number;
}

type By = { at: string; by: string };

/**
 * A member of a dossier: when and by whom it joined, and, for a signal in the caller's scope,
 * its title, state and themes as the signal has them now.
 */
export type DossierMember = { signalId: string } & By &
  (
    | { visible: false }
    | { visible: true; title: string | null; state: string; stateLabel: string; themes: string[] }
  );

/** A dossier in full (GET /dossiers/{id}), with the commands the caller may give now. */
export type DossierDetailAnswer = {
  tenantId: string;
  dossierId: string;
  title: string;
  summary: string;
  themes: string[];
  state: string;
  stateLabel: string;
  open: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  revision: number;
  members: DossierMember[];
  removed: Array<{ signalId: string; reason: string } & By>;
  analysis: ({ conclusion: string; structural: boolean; themes: string[] } & By) | null;
  escalations: Array<
    { level: 'local' | 'supralocal'; body: string; motivation: string; memberSignalIds: string[] } & By
  >;
  decisions: Array<{ decision: string; actions: string[]; feedback: string; memberSignalIds: string[] } & By>;
  closed: ({ outcome: string } & By) | null;
  allowedCommands: Array<{ name: string; label: string; path: string }>;
};

/** One bundling suggestion of GET /signals/{id}/similar. */
export interface SimilarItem {
  signalId: string;
  title: string | null;
  state: string;
  themes: string[];
  /** The open dossier that holds the suggested signal, if any. */
  dossierId: string | null;
  /** textWeight × text + themeWeight × themes, in [0, 1]. */
  score: number;
  textScore: number;
  themeScore: number;
  /** The stems both texts share, strongest first. */
  sharedTerms: string[];
}

/** GET /signals/{id}/similar: the suggestions, strongest first, and how scores are weighed. */
export interface SimilarSignalsAnswer {
  signalId: string;
  scoring: { text: number; themes: number };
  items: SimilarItem[];
}
