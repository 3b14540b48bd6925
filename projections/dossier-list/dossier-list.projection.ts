import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { DOSSIER_EVENT_TYPES } from '../../src/dossiers/dossier.events.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { dossierKeyOf, readDossierEvent, type DossierEventView } from '../shared/dossier-event.js';
import type { DossierListItem } from '../../src/dossiers/dossier-answers.js';

/** A dossier as GET /dossiers lists it (DossierListItem, the API's contract), but for its phase's label. */
export type DossierListDocument = Omit<DossierListItem, 'stateLabel'>;

const INDEXES: readonly IndexDeclaration[] = [
  { field: 'tenantId', type: 'string', indexed: false },
  { field: 'state', type: 'string' },
  { field: 'open', type: 'boolean', indexed: false },
  { field: 'themes', type: 'string[]' },
  { field: 'levels', type: 'string[]', indexed: false },
  { field: 'memberSignalIds', type: 'string[]' },
  { field: 'createdAt', type: 'string' },
  { field: 'updatedAt', type: 'string' },
];

/** One document per dossier (`tenantId:dossierId`): the lead processor's list, filtered by index. */
export const dossierListProjection: Projection<DossierListDocument> = {
  name: 'dossier-list',
  schemaVersion: 1,
  handles: DOSSIER_EVENT_TYPES,
  indexes: INDEXES,
  partitionKey: 'tenantId',
  documentId(event) {
    const { tenantId, dossierId } = dossierKeyOf(event);
    return `${tenantId}:${dossierId}`;
  },
  evolve(document, event) {
    const view = readDossierEvent(event);
    if (view.kind === 'created') {
      if (document !== null)
        throw new ProjectionEventError(event, `dossier ${view.dossierId} exists already`);
      return {
        tenantId: view.tenantId,
        dossierId: view.dossierId,
        title: view.title,
        themes: [...view.themes],
        state: view.phase,
        open: true,
        levels: [],
        memberCount: view.signalIds.length,
        memberSignalIds: [...view.signalIds],
        createdAt: view.at,
        createdBy: view.actor.id,
        updatedAt: view.at,
        revision: Number(event.revision),
      };
    }
    if (document === null) throw missing(view);
    applyToList(document, view);
    return document;
  },
};

function applyToList(document: DossierListDocument, view: DossierEventView): void {
  switch (view.kind) {
    case 'signal-added':
      if (!document.memberSignalIds.includes(view.signalId)) document.memberSignalIds.push(view.signalId);
      break;
    case 'signal-removed':
      document.memberSignalIds = document.memberSignalIds.filter((id) => id !== view.signalId);
      break;
    case 'analysis':
      for (const theme of view.themes) if (!document.themes.includes(theme)) document.themes.push(theme);
      break;
    case 'escalated':
      if (!document.levels.includes(view.level)) document.levels.push(view.level);
      break;
    case 'decision':
    case 'created':
      break;
    case 'closed':
      document.open = false;
      break;
    default: {
      const unreachable: never = view;
      return unreachable;
    }
  }
  document.memberCount = document.memberSignalIds.length;
  document.state = view.phase;
  document.updatedAt = view.at;
  document.revision = Number(view.event.revision);
}

export function missing(view: DossierEventView): ProjectionEventError {
  return new ProjectionEventError(
    view.event,
    `no document for dossier ${view.dossierId} of tenant ${view.tenantId} (its creation is missing or parked)`,
  );
}
