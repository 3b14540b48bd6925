import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { OIDC_CALLBACK_PATH } from './oidc';

/** Pages open without signing in (accept an invite, a municipality's public page). */
export interface PublicRoute {
  path: string;
  screen: LazyExoticComponent<ComponentType>;
}

export const publicRoutes: PublicRoute[] = [
  {
    path: '/uitnodiging',
    screen: lazy(() => import('./InvitePage').then((m) => ({ default: m.InvitePage }))),
  },
  {
    path: OIDC_CALLBACK_PATH,
    screen: lazy(() => import('./OidcCallbackPage').then((m) => ({ default: m.OidcCallbackPage }))),
  },
  {
    path: '/gemeente/:tenant',
    screen: lazy(() => import('./PublicTenantPage').then((m) => ({ default: m.PublicTenantPage }))),
  },
];
