import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec as SVG into `container` without `new Function`: the app's CSP
 * (script-src 'self', no 'unsafe-eval') forbids Vega's default expression compiler, so the
 * runtime is parsed with its expression ASTs and evaluated by vega-interpreter. This module is
 * loaded on demand (the first chart), so Vega stays out of the first screen's JavaScript.
 * Returns the function that releases the view.
 */
export async function renderChart(container: HTMLElement, spec: TopLevelSpec): Promise<() => void> {
  const runtime = parse(compile(spec).spec, undefined, { ast: true });
  const view = new View(runtime, {
    expr: expressionInterpreter,
    renderer: 'svg',
    container,
    hover: true,
  });
  await view.runAsync();
  // The chart's meaning is in the figure's name and its table; the SVG itself is decoration for
  // screen readers (Vega's own aria labels name marks without their values).
  const svg = container.querySelector('svg');
  if (svg) {
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    // Scales down with its column (Vega writes a viewBox) instead of needing a scrollbar.
    svg.style.maxWidth = '100%';
    svg.style.height = 'auto';
  }
  return () => view.finalize();
}
