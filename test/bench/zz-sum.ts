import { readdirSync } from 'node:fs';
import { summarizeCpuProfile, formatProfileEntries } from './cpu-profile.js';
const dir = '/tmp/auditprof/prof';
const f = readdirSync(dir)[0]!;
const s = summarizeCpuProfile(`${dir}/${f}`, '/work/wt-audit', 30);
console.log(s.totalMs);
for (const [k, v] of Object.entries(s)) if (Array.isArray(v)) console.log(formatProfileEntries(k, v));
