import { lazy } from 'react';
import type { AppRoute } from '../../routes';

const PROCESSORS = ['lead-processor', 'processor', 'partner-processor'] as const;

/** The screens of this group (see routes.ts). */
export const signalsRoutes: AppRoute[] = [
  {
    path: '/signaal-melden',
    roles: ['signal-giver'],
    screen: lazy(() => import('./SignalIntake').then((m) => ({ default: m.SignalIntake }))),
    menu: 'Signaal melden',
    order: 10,
  },
  {
    path: '/mijn-signalen',
    roles: ['signal-giver'],
    screen: lazy(() => import('./MySignals').then((m) => ({ default: m.MySignals }))),
    menu: 'Mijn signalen',
    order: 11,
  },
  {
    path: '/inbox',
    roles: PROCESSORS,
    screen: lazy(() => import('./Inbox').then((m) => ({ default: m.Inbox }))),
    menu: 'Inbox',
    order: 20,
  },
  {
    path: '/signalen/:id',
    roles: ['signal-giver', ...PROCESSORS],
    screen: lazy(() => import('./SignalDetail').then((m) => ({ default: m.SignalDetail }))),
  },
];
