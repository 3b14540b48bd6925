import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { DossierListDocument } from '../../projections/index.js';
import { ApiError } from '../platform/http/api-error.js';
import { ReadModels } from '../read-models/read-models.js';

const CHUNK = 100;

/**
 * Which open dossier holds a signal, from the dossier-list read model (its `memberSignalIds`
 * index). Before it answers, the read model must have applied every dossier event this process
 * wrote, so a membership recorded a moment ago is seen; the handler queues membership commands
 * per tenant, which makes the check and the append one step within this process.
 */
@Injectable()
export class OpenDossierLookup {
  private lastWrite: bigint | undefined;

  constructor(@Inject(ReadModels) private readonly readModels: ReadModels) {}

  wrote(position: bigint): void {
    if (this.lastWrite === undefined || position > this.lastWrite) this.lastWrite = position;
  }

  async holding(tenantId: string, signalIds: readonly string[]): Promise<Map<string, string>> {
    if (!(await this.readModels.reach(this.lastWrite))) {
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'READ_MODELS_BEHIND',
        'De dossiers worden nog bijgewerkt. Probeer het over enkele seconden opnieuw.',
      );
    }
    const holders = new Map<string, string>();
    const wanted = new Set(signalIds);
    for (let i = 0; i < signalIds.length; i += CHUNK) {
      const chunk = signalIds.slice(i, i + CHUNK);
      const found = await this.readModels.list<DossierListDocument>('dossier-list', {
        filters: [
          { field: 'tenantId', op: 'eq', value: tenantId },
          { field: 'memberSignalIds', op: 'in', values: chunk },
          { field: 'open', op: 'eq', value: true },
        ],
        limit: CHUNK,
        count: false,
      });
      for (const dossier of found.items) {
        for (const id of dossier.memberSignalIds) if (wanted.has(id)) holders.set(id, dossier.dossierId);
      }
    }
    return holders;
  }
}
