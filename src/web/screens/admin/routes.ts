import { lazy } from 'react';
import type { AppRoute } from '../../routes';

const AdminPage = lazy(() => import('./AdminPage').then((m) => ({ default: m.AdminPage })));
const DossiersPage = lazy(() => import('./DossiersPage').then((m) => ({ default: m.DossiersPage })));
const DossierDetailPage = lazy(() =>
  import('./DossierDetailPage').then((m) => ({ default: m.DossierDetailPage })),
);

const ADMIN = ['tenant-admin'] as const;

/** The screens of this group (see routes.ts): "Beheer" for the tenant-admin, "Dossiers". */
export const adminRoutes: AppRoute[] = [
  {
    path: '/dossiers',
    roles: ['lead-processor', 'processor'],
    screen: DossiersPage,
    menu: 'Dossiers',
    order: 40,
  },
  { path: '/dossiers/:id', roles: ['lead-processor', 'processor'], screen: DossierDetailPage },
  { path: '/beheer', roles: ADMIN, screen: AdminPage, menu: 'Beheer', order: 90 },
  { path: '/beheer/:tab', roles: ADMIN, screen: AdminPage },
];
