import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums where the time went: self time per
 * function and per package or area, and inclusive time per function (each function counted once
 * per stack, so recursion does not inflate it).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not spent idle: the base of every percentage (a bench leaves the server idle at times). */
  busyMs: number;
  selfByFunction: ProfileEntry[];
  selfByArea: ProfileEntry[];
  inclusiveByFunction: ProfileEntry[];
}

function shortUrl(url: string, root: string): string {
  if (url === '') return '';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = relative(root, fileURLToPath(url));
    } catch {
      path = url;
    }
  }
  const nodeModules = path.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules + 'node_modules/'.length);
  // A build in the bench's scratch space: name it from dist/ on, as the repository's build.
  const dist = path.lastIndexOf('/dist/');
  return dist >= 0 ? path.slice(dist + 1) : path;
}

function functionKey(frame: CallFrame, root: string): string {
  const name = frame.functionName || '(anonymous)';
  const url = shortUrl(frame.url, root);
  return url ? `${name} ${url}:${frame.lineNumber + 1}` : name;
}

function areaOf(frame: CallFrame, root: string): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName || '?'}`;
  if (url.startsWith('node:')) return 'node internals';
  const nodeModules = url.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const parts = url.slice(nodeModules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? url);
  }
  const path = shortUrl(url, root);
  const segments = path.split('/');
  const depth = segments[0] === 'dist' ? 4 : 3;
  return segments.slice(0, Math.min(depth, segments.length - 1)).join('/') || path;
}

function top(map: Map<string, number>, totalMs: number, n: number): ProfileEntry[] {
  return [...map.entries()]
    .filter(([name]) => name !== '(idle)' && name !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms, percent: (100 * ms) / totalMs }));
}

export function summarizeCpuProfile(file: string, root: string, n = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // timeDeltas[i] is the time before sample i; the time after it belongs to sample i.
    for (let i = 0; i < samples.length; i++) {
      const ms = (deltas[i + 1] ?? 0) / 1000;
      const id = samples[i] as number;
      selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
    }
  } else {
    const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const perHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
    for (const node of profile.nodes) selfMs.set(node.id, (node.hitCount ?? 0) * perHit);
  }
  const totalMs = [...selfMs.values()].reduce((a, b) => a + b, 0) || 1;

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const key = functionKey(node.callFrame, root);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
    const area = areaOf(node.callFrame, root);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
  }

  // Inclusive: walk the tree, adding each node's subtree time to every distinct function on its stack.
  const inclusive = new Map<string, number>();
  const subtree = new Map<number, number>();
  const sumSubtree = (id: number): number => {
    const known = subtree.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    let ms = selfMs.get(id) ?? 0;
    for (const child of node?.children ?? []) ms += sumSubtree(child);
    subtree.set(id, ms);
    return ms;
  };
  const root_ = profile.nodes[0];
  if (root_) {
    sumSubtree(root_.id);
    const onStack = new Map<string, number>();
    const walk = (id: number): void => {
      const node = byId.get(id);
      if (!node) return;
      const key = functionKey(node.callFrame, root);
      const depth = onStack.get(key) ?? 0;
      if (depth === 0) inclusive.set(key, (inclusive.get(key) ?? 0) + (subtree.get(id) ?? 0));
      onStack.set(key, depth + 1);
      for (const child of node.children ?? []) walk(child);
      onStack.set(key, depth);
    };
    walk(root_.id);
  }

  const busyMs = Math.max(1, totalMs - (selfByFunction.get('(idle)') ?? 0));
  return {
    totalMs,
    busyMs,
    selfByFunction: top(selfByFunction, busyMs, n),
    selfByArea: top(selfByArea, busyMs, n),
    inclusiveByFunction: top(inclusive, busyMs, n * 2),
  };
}

/** One block of lines, percentages of the busy (non-idle) time. */
export function formatProfileEntries(title: string, entries: readonly ProfileEntry[]): string {
  const lines = entries.map(
    (e) => `  ${e.percent.toFixed(1).padStart(5)} %  ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}`,
  );
  return [title, ...lines].join('\n');
}
