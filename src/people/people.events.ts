import { streamName } from '../platform/event-store/stream-name.js';
import type { JsonObject } from '../platform/json.js';
import type { Role } from '../../workflows/roles.js';

/** Invites and people carry opaque ids only: e-mail, name and secrets live in the identity store. */
export function inviteStream(tenantId: string, inviteId: string): string {
  return streamName('invite', tenantId, inviteId);
}

export function personStream(tenantId: string, personId: string): string {
  return streamName('person', tenantId, personId);
}

export interface InviteIssuedData extends JsonObject {
  inviteId: string;
  organisationId: string | null;
  roles: Role[];
  policyDomains: string[];
  expiresAt: string;
}

export interface InviteAcceptedData extends JsonObject {
  inviteId: string;
  personId: string;
}

export interface PersonRegisteredData extends JsonObject {
  personId: string;
  inviteId: string;
  organisationId: string | null;
  method: 'password' | 'oidc';
}

export interface RolesGrantedData extends JsonObject {
  personId: string;
  roles: Role[];
  policyDomains: string[];
}

export interface RolesRevokedData extends JsonObject {
  personId: string;
  roles: Role[];
}

/**
 * The person's name and e-mail were erased from the identity store. The event holds the opaque id
 * and the reason only (checked for personal data, the erased name and e-mail included).
 */
export interface PersonErasedData extends JsonObject {
  personId: string;
  reason: string;
}

export type InviteEvent =
  { type: 'InviteIssued'; data: InviteIssuedData } | { type: 'InviteAccepted'; data: InviteAcceptedData };

export type PersonEvent =
  | { type: 'PersonRegistered'; data: PersonRegisteredData }
  | { type: 'RolesGranted'; data: RolesGrantedData }
  | { type: 'RolesRevoked'; data: RolesRevokedData }
  | { type: 'PersonErased'; data: PersonErasedData };
