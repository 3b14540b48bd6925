import type { AppRoute } from '../routes';
import { adminRoutes } from './admin/routes';
import { insightRoutes } from './insight/routes';
import { signalsRoutes } from './signals/routes';

export const allRoutes: readonly AppRoute[] = [...signalsRoutes, ...insightRoutes, ...adminRoutes].sort(
  (a, b) => (a.order ?? 100) - (b.order ?? 100),
);

/** The screens this person may open, in menu order. */
export function routesFor(roles: readonly string[]): AppRoute[] {
  return allRoutes.filter((route) => route.roles.length === 0 || route.roles.some((r) => roles.includes(r)));
}
