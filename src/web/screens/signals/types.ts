/** The API's answers the signal screens read (GET /signals, GET /signals/{id}, allowed-commands). */
export interface SignalListItem {
  signalId: string;
  title: string | null;
  state: string;
  open: boolean;
  themes: string[];
  targetGroups: string[];
  policyDomain: string | null;
  assigneeId: string | null;
  givenBy: string;
  area: string | null;
  /** Absent in documents of before area types. */
  areaType?: string | null;
  urgency: string | null;
  structural: boolean | null;
  submittedAt: string;
  updatedAt: string;
  dueAt: string | null;
  overdue: boolean;
  revision: number;
  erased: boolean;
}

export interface SignalPage {
  items: SignalListItem[];
  total: number | null;
  hasMore: boolean;
  limit: number;
  offset: number;
}

export interface TimelineEntry {
  position: string;
  revision: number;
  type: string;
  at: string;
  actor: { id: string; role: string };
  command: string | null;
  from: string | null;
  to: string;
  fields: Record<string, unknown>;
}

export interface SignalDetail extends SignalListItem {
  description: string | null;
  estimatedPeopleAffected: number | null;
  mergedInto: string | null;
  dossier: { dossierId: string; title?: string | null } | null;
  stateLabel: string;
  timeline: TimelineEntry[];
}

export interface AllowedCommand {
  name: string;
  label: string;
  required: string[];
  optional: string[];
  requireOneOf?: string[][];
  path: string;
}

export interface AllowedCommands {
  signalId: string;
  revision: string;
  commands: AllowedCommand[];
}
