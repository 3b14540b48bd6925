import type { Participant } from './core/patterns.js';

/**
 * Which municipalities contribute to the supra-local views: the tenants whose supra-local opt-in
 * setting is on, with their name and population band. Only these tenants' cells are ever read
 * into a table.
 */
export abstract class SupralocalParticipants {
  abstract list(): Promise<Participant[]>;
}
