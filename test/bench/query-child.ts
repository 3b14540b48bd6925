/**
 * The query phase of the projections bench in a process of its own (query-latency.ts): takes the
 * read sides, calls and warm-up calls as one JSON argument, prints QueryResults as JSON on its
 * last line of output.
 */
import { measureQueries, type QuerySide } from './query-latency.js';

const argument = process.argv[2];
if (argument === undefined) throw new Error('usage: query-child.ts <json: {sides, calls, warmUp}>');
const { sides, calls, warmUp } = JSON.parse(argument) as {
  sides: { small: QuerySide; medium: QuerySide; large: QuerySide };
  calls: number;
  warmUp: number;
};
const results = await measureQueries(sides, calls, warmUp);
process.stdout.write(`\n${JSON.stringify(results)}\n`);
