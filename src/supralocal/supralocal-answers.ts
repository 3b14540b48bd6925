/**
 * What the supra-local endpoints answer (patterns of a quarter, a theme over quarters, the
 * dossiers escalated to the supra-local level): the API's contract, declared once. The
 * suppression and pattern core builds these types, the controllers answer with them and the web's
 * pattern screen reads them. Types only, with no imports, so that the web's compiler reads nothing
 * else of the server.
 */

export interface SuppressionRules {
  /** Fewest signals an entry must count to be published. */
  minSignals: number;
  /** Fewest distinct signal givers an entry must count to be published. */
  minGivers: number;
}

export interface Figures {
  signals: number;
  givers: number;
  organisations: number;
  escalations: number;
  /** Dossiers escalated with the cell's signals (a total adds its cells': per theme, per municipality). */
  dossiers: number;
}

/** What the table publishes of an entry: its figures, or why not. */
export type Published =
  ({ suppressed: false } & Figures) | { suppressed: true; reason: 'small' | 'secondary' };

/** A municipality that contributes to the supra-local views (its tenant opted in). */
export interface Participant {
  tenantId: string;
  name: string;
  /** e.g. `10000-25000`; null when the tenant did not say. */
  populationBand: string | null;
}

export interface ThemeTrend {
  theme: string;
  label: string;
  total: Published | null;
  previousTotal: Published | null;
  /** (now − before) / before of the published totals; null when either is not published. */
  growth: number | null;
  /** Municipalities with a published cell for this theme this quarter. */
  municipalities: number;
  /** Municipalities whose published cell rose against their published cell of the quarter before. */
  risingIn: number;
}

export interface CellRow extends Figures {
  theme: string;
  tenantId: string;
}

export interface SuppressedCellRow {
  theme: string;
  tenantId: string;
  suppressed: true;
}

/** A pair of themes named together, published with ≥ the thresholds (its givers are not shown: a lower bound). */
export interface PairRow {
  themes: [string, string];
  signals: number;
}

/** A theme named for a kind of area (deelgemeente, wijk, hele gemeente), published as target groups are. */
export interface AreaTypeRow {
  theme: string;
  areaType: string;
  label: string;
  signals: number;
}

/** One theme's figures per month of the quarter, over all participating municipalities. */
export interface MonthRow {
  theme: string;
  label: string;
  /** In month order; null for a month without signals of the theme. */
  months: Array<{ period: string; figures: Published | null }>;
}

export interface TargetGroupRow {
  theme: string;
  targetGroup: string;
  label: string;
  signals: number;
}

export interface Patterns {
  period: string;
  previousPeriod: string;
  rules: SuppressionRules;
  municipalities: Participant[];
  /** Rising themes first (highest growth), then the rest by total. */
  themes: ThemeTrend[];
  cells: Array<CellRow | SuppressedCellRow>;
  grandTotal: Published | null;
  cooccurrence: PairRow[];
  targetGroups: TargetGroupRow[];
  areaTypes: AreaTypeRow[];
  /**
   * The quarter by month of submission, over all participating municipalities (a population band
   * does not narrow it, as it does not narrow the totals); null for a lead processor, who sees no
   * totals.
   */
  months: {
    periods: string[];
    themes: MonthRow[];
    totals: Array<{ period: string; total: Published | null }>;
  } | null;
}

export interface ThemeSeries {
  theme: string;
  label: string;
  rules: SuppressionRules;
  municipalities: Participant[];
  quarters: Array<{
    period: string;
    total: Published | null;
    cells: Array<CellRow | SuppressedCellRow>;
    /** The theme by month of submission over all participants; null without totals (a lead processor). */
    months: MonthRow['months'] | null;
  }>;
}

/** A dossier escalated to the supra-local level, as the supra-local views show it. */
export interface SupralocalEscalation {
  tenantId: string;
  municipality: string;
  dossierId: string;
  title: string;
  summary: string;
  themes: string[];
  state: string;
  memberCount: number;
  escalatedAt: string;
  body: string;
}

/** GET /supralocal/escalations: the escalated dossiers of a quarter (or of all quarters: null). */
export interface SupralocalEscalations {
  period: string | null;
  escalations: SupralocalEscalation[];
}
