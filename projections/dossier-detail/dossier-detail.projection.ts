import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { DOSSIER_EVENT_TYPES } from '../../src/dossiers/dossier.events.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { dossierKeyOf, readDossierEvent } from '../shared/dossier-event.js';
import { missing } from '../dossier-list/dossier-list.projection.js';
import type { DossierDetailAnswer } from '../../src/dossiers/dossier-answers.js';

type By = { at: string; by: string };

/**
 * Everything recorded on a dossier: GET /dossiers/{id} answers it (DossierDetailAnswer, the API's
 * contract) with its phase's label, the commands the caller may give, and its members joined with
 * their signals. Members are kept with when and by whom they joined only: their titles and states
 * are the signals' own (signal-inbox), joined when the dossier is read, as a member's every step
 * would otherwise rewrite its dossier's document too.
 */
export type DossierDetailDocument = Omit<
  DossierDetailAnswer,
  'stateLabel' | 'members' | 'allowedCommands'
> & {
  members: Array<{ signalId: string } & By>;
};

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/** One document per dossier (`tenantId:dossierId`): everything recorded on it. */
export const dossierDetailProjection: Projection<DossierDetailDocument> = {
  name: 'dossier-detail',
  schemaVersion: 1,
  handles: DOSSIER_EVENT_TYPES,
  indexes: INDEXES,
  documentId(event) {
    const { tenantId, dossierId } = dossierKeyOf(event);
    return `${tenantId}:${dossierId}`;
  },
  evolve(document, event) {
    const view = readDossierEvent(event);
    const by: By = { at: view.at, by: view.actor.id };
    if (view.kind === 'created') {
      if (document !== null)
        throw new ProjectionEventError(event, `dossier ${view.dossierId} exists already`);
      return {
        tenantId: view.tenantId,
        dossierId: view.dossierId,
        title: view.title,
        summary: view.summary,
        themes: [...view.themes],
        state: view.phase,
        open: true,
        createdAt: view.at,
        createdBy: view.actor.id,
        updatedAt: view.at,
        revision: Number(event.revision),
        members: view.signalIds.map((signalId) => ({ signalId, ...by })),
        removed: [],
        analysis: null,
        escalations: [],
        decisions: [],
        closed: null,
      };
    }
    if (document === null) throw missing(view);
    switch (view.kind) {
      case 'signal-added':
        if (!document.members.some((member) => member.signalId === view.signalId))
          document.members.push({ signalId: view.signalId, ...by });
        break;
      case 'signal-removed':
        document.members = document.members.filter((member) => member.signalId !== view.signalId);
        document.removed.push({ signalId: view.signalId, reason: view.reason, ...by });
        break;
      case 'analysis':
        document.analysis = {
          conclusion: view.conclusion,
          structural: view.structural,
          themes: view.themes,
          ...by,
        };
        for (const theme of view.themes) if (!document.themes.includes(theme)) document.themes.push(theme);
        break;
      case 'escalated':
        document.escalations.push({
          level: view.level,
          body: view.body,
          motivation: view.motivation,
          memberSignalIds: view.memberSignalIds,
          ...by,
        });
        break;
      case 'decision':
        document.decisions.push({
          decision: view.decision,
          actions: view.actions,
          feedback: view.feedback,
          memberSignalIds: view.memberSignalIds,
          ...by,
        });
        break;
      case 'closed':
        document.closed = { outcome: view.outcome, ...by };
        document.open = false;
        break;
      default: {
        const unreachable: never = view;
        return unreachable;
      }
    }
    document.state = view.phase;
    document.updatedAt = view.at;
    document.revision = Number(event.revision);
    return document;
  },
};
