import type { ComponentType, LazyExoticComponent } from 'react';

/** Pages open without signing in (accept an invite, a municipality's public page). */
export interface PublicRoute {
  path: string;
  screen: LazyExoticComponent<ComponentType>;
}

export const publicRoutes: PublicRoute[] = [];
