import { lazy } from 'react';
import type { AppRoute } from '../../routes';

/**
 * The insight screens: the dashboard and policy briefs (officials, lead processor), the
 * supra-local patterns (supra-local analyst, lead processor for their own cells) and the audit
 * screen (auditor). The roles match the API's @Roles of the routes each screen calls.
 */
export const insightRoutes: AppRoute[] = [
  {
    path: '/dashboard',
    roles: ['official', 'lead-processor', 'tenant-admin'],
    screen: lazy(() => import('./DashboardScreen').then((m) => ({ default: m.DashboardScreen }))),
    menu: 'Dashboard',
    order: 40,
  },
];
