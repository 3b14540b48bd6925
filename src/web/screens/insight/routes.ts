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
  {
    path: '/beleidsbriefs',
    roles: ['official', 'lead-processor'],
    screen: lazy(() => import('./BriefsScreen').then((m) => ({ default: m.BriefsScreen }))),
    menu: 'Beleidsbriefs',
    order: 41,
  },
  {
    path: '/bovenlokaal',
    roles: ['supralocal-analyst', 'lead-processor'],
    screen: lazy(() => import('./PatternsScreen').then((m) => ({ default: m.PatternsScreen }))),
    menu: 'Bovenlokale patronen',
    order: 42,
  },
  {
    path: '/audit',
    roles: ['auditor'],
    screen: lazy(() => import('./AuditScreen').then((m) => ({ default: m.AuditScreen }))),
    menu: 'Audit',
    order: 43,
  },
  {
    path: '/bovenlokale-briefs',
    roles: ['supralocal-analyst'],
    screen: lazy(() => import('./BriefsScreen').then((m) => ({ default: m.SupralocalBriefsScreen }))),
    menu: 'Bovenlokale briefs',
    order: 44,
  },
];
