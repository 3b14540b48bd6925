import type { AppRoute } from '../../routes';

/** The screens of this group (see routes.ts). */
export const adminRoutes: AppRoute[] = [];
