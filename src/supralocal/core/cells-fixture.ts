import type { SupralocalCellsFigures } from '../../../projections/index.js';
import { monthsOf } from './patterns.js';

type MonthFigures = Pick<
  SupralocalCellsFigures,
  'months' | 'monthGivers' | 'monthAllGivers' | 'areaTypes' | 'areaTypeGivers'
>;

/**
 * For tests: the month split of a cells document whose signals were all submitted in the first
 * month of its quarter (each theme's month figures equal its quarter figures), no area types.
 */
export function allInFirstMonth(
  quarter: string,
  signals: Record<string, number>,
  givers: Record<string, number>,
  allGivers: number,
): MonthFigures {
  const [first] = monthsOf(quarter);
  const keyed = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([theme, count]) => [`${first}|${theme}`, count]));
  return {
    months: keyed(signals),
    monthGivers: keyed(givers),
    monthAllGivers: allGivers > 0 ? { [first]: allGivers } : {},
    areaTypes: {},
    areaTypeGivers: {},
  };
}
