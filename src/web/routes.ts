import type { ComponentType, LazyExoticComponent } from 'react';

/**
 * A screen of the app: its path, who may open it, and whether (and how) it shows in the menu.
 * Each screen group keeps its own list (screens/<group>/routes.ts); `allRoutes` joins them, so
 * groups never edit each other's files.
 */
export interface AppRoute {
  path: string;
  /** Roles that may open it; the menu shows it only to them. Empty: every signed-in person. */
  roles: readonly string[];
  screen: LazyExoticComponent<ComponentType>;
  /** Menu label (Dutch); no label: reachable by link only (a detail page). */
  menu?: string;
  /** Order in the menu (lower first). */
  order?: number;
}
