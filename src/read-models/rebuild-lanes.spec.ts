import { describe, expect, it } from '@jest/globals';
import { PROJECTIONS } from '../../projections/index.js';
import { splitIntoLanes } from './rebuild-lanes.js';

describe('splitIntoLanes', () => {
  it('puts every read model in exactly one lane, in the order given', () => {
    const lanes = splitIntoLanes(PROJECTIONS, 2);
    expect(lanes).toHaveLength(2);
    expect(lanes.flat().sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...PROJECTIONS].sort((a, b) => a.name.localeCompare(b.name)),
    );
    for (const lane of lanes) {
      const positions = lane.map((projection) => PROJECTIONS.indexOf(projection));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('separates the two costliest per-signal read models', () => {
    const lanes = splitIntoLanes(PROJECTIONS, 2).map((lane) => lane.map((projection) => projection.name));
    const inboxLane = lanes.findIndex((lane) => lane.includes('signal-inbox'));
    expect(lanes[inboxLane]).not.toContain('signal-detail');
  });

  it('makes no more lanes than read models, and at least one', () => {
    expect(splitIntoLanes(PROJECTIONS.slice(0, 3), 8)).toHaveLength(3);
    expect(splitIntoLanes(PROJECTIONS, 0)).toEqual([PROJECTIONS]);
  });
});
