/** Named inbox filters, kept in this browser per person (localStorage; no texts, only filter codes). */
export interface SavedFilter {
  name: string;
  params: Record<string, string>;
}

const key = (personId: string) => `lokaal-signaal.inbox-filters.${personId}`;

export function loadSavedFilters(personId: string): SavedFilter[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(personId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (f): f is SavedFilter =>
        !!f &&
        typeof f === 'object' &&
        typeof (f as SavedFilter).name === 'string' &&
        typeof (f as SavedFilter).params === 'object',
    );
  } catch {
    return [];
  }
}

export function storeSavedFilters(personId: string, filters: SavedFilter[]): void {
  localStorage.setItem(key(personId), JSON.stringify(filters));
}
