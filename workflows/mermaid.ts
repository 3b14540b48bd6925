import { ANY_STATE, PREVIOUS_STATE, SAME_STATE } from './definition.js';
import type { CommandDefinition, WorkflowDefinition } from './definition.js';
import { analyseTransitions, fromStates, parseIsoDuration, targetStates } from './load-definition.js';
import type { IsoDurationParts } from './load-definition.js';
import { ROLES, SYSTEM_ROLE } from './roles.js';
import type { DefinitionRole } from './roles.js';

const DRAWN_ROLES: readonly DefinitionRole[] = [...ROLES, SYSTEM_ROLE];

const ROLE_SHORT: Record<DefinitionRole, string> = {
  system: 'system',
  'signal-giver': 'giver',
  'lead-processor': 'lead',
  processor: 'proc',
  'partner-processor': 'partner',
  official: 'official',
  'supralocal-analyst': 'analyst',
  auditor: 'auditor',
  'tenant-admin': 'admin',
};

const BACK = '↩';

/** Mermaid ids may not hold dashes (`-` starts an arrow); slugs hold no underscores, so this is 1:1. */
function id(state: string): string {
  return state.replaceAll('-', '_');
}

/** Mermaid ends a label at `#`, `;` or a newline and a quoted name at `"`. */
function text(value: string): string {
  return value.replace(/[#;\n]/g, ' ').replaceAll('"', "'");
}

/** Dutch unit abbreviations, as the state labels are Dutch, with their meaning for the legend. */
const DURATION_UNITS: readonly [keyof IsoDurationParts, string, string][] = [
  ['years', 'j', 'jaar'],
  ['months', 'mnd', 'maanden'],
  ['weeks', 'w', 'weken'],
  ['days', 'd', 'dagen'],
  ['hours', 'u', 'uren'],
  ['minutes', 'min', 'minuten'],
  ['seconds', 's', 'seconden'],
];

function deadlineParts(deadline: string): [number, string, string][] {
  const parts = parseIsoDuration(deadline);
  if (!parts) return [];
  return DURATION_UNITS.filter(([key]) => parts[key] > 0).map(([key, unit, meaning]) => [
    parts[key],
    unit,
    meaning,
  ]);
}

function deadlineText(deadline: string): string {
  const parts = deadlineParts(deadline);
  return parts.length === 0 ? deadline : parts.map(([amount, unit]) => `${amount} ${unit}`).join(' ');
}

/** Greedy word wrap, so that generated prose reads like the rest of the README. */
function wrap(paragraph: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}

function commandLabel(name: string, command: CommandDefinition): string {
  const back = command.to === PREVIOUS_STATE ? ` ${BACK}` : '';
  const roles = DRAWN_ROLES.filter((role) => command.roles.includes(role)).map((role) => ROLE_SHORT[role]);
  return text(`${name}${back} [${roles.join(', ')}]`);
}

/**
 * A `stateDiagram-v2` of a definition: Dutch state labels with their deadline, one edge per
 * (from-state, command) labelled with the command and the roles that may fire it, `@previous`
 * drawn back to every state the signal may have come from, and commands usable in any state
 * listed in a note on the initial state rather than as a loop on every state.
 */
export function toMermaid(definition: WorkflowDefinition): string {
  const lines = ['stateDiagram-v2'];
  const { previous } = analyseTransitions(definition);
  for (const [name, state] of Object.entries(definition.states)) {
    const deadline = state.deadline ? ` (${deadlineText(state.deadline)})` : '';
    lines.push(`  state "${text(state.label + deadline)}" as ${id(name)}`);
  }
  const anyState: string[] = [];
  for (const [name, command] of Object.entries(definition.commands)) {
    const label = commandLabel(name, command);
    if (command.from.length === 0) {
      lines.push(`  [*] --> ${id(command.to)}: ${label}`);
      continue;
    }
    if (command.from.includes(ANY_STATE)) {
      const target =
        command.to === SAME_STATE || command.to === PREVIOUS_STATE
          ? ''
          : ` → ${text(definition.states[command.to]?.label ?? command.to)}`;
      anyState.push(`${label}${target}`);
      continue;
    }
    for (const from of fromStates(definition, command)) {
      for (const to of targetStates(command, from, previous))
        lines.push(`  ${id(from)} --> ${id(to)}: ${label}`);
    }
  }
  for (const [name, state] of Object.entries(definition.states)) {
    if (state.terminal) lines.push(`  ${id(name)} --> [*]`);
  }
  if (anyState.length > 0) {
    lines.push(`  note right of ${id(definition.initialState)}`);
    lines.push('    In any state:', ...anyState.map((entry) => `    ${entry}`));
    lines.push('  end note');
  }
  return lines.join('\n');
}

/** The README text between the diagram markers: a heading and a diagram per definition, a legend. */
export function renderWorkflowsMarkdown(definitions: readonly WorkflowDefinition[]): string {
  const commands = definitions.flatMap((definition) => Object.values(definition.commands));
  const roles = new Set(commands.flatMap((command) => command.roles));
  const units = new Map(
    definitions
      .flatMap((definition) => Object.values(definition.states))
      .flatMap((state) => (state.deadline ? deadlineParts(state.deadline) : []))
      .map(([, unit, meaning]) => [unit, meaning]),
  );
  const legend = [
    `Roles: ${DRAWN_ROLES.filter((role) => roles.has(role))
      .map((role) => `${ROLE_SHORT[role]} = \`${role}\``)
      .join(', ')}.`,
    ...(commands.some((command) => command.to === PREVIOUS_STATE)
      ? [`${BACK} goes back to the state the signal was in before.`]
      : []),
    ...(units.size > 0
      ? [
          `Deadlines in brackets (${[...units].map(([unit, meaning]) => `${unit} = ${meaning}`).join(', ')}); ` +
            'a signal past its deadline is overdue.',
        ]
      : []),
  ].join(' ');
  const sections = definitions.map((definition) =>
    [
      `### ${definition.name} v${definition.version}`,
      ...(definition.description ? [wrap(definition.description)] : []),
      '```mermaid\n' + toMermaid(definition) + '\n```',
    ].join('\n\n'),
  );
  return [
    '<!-- Generated from workflows/*/*.v*.json by `npm run workflows:diagram`; do not edit by hand. -->',
    ...sections,
    wrap(legend),
  ].join('\n\n');
}

export const DIAGRAM_START = '<!-- workflows:diagram:start -->';
export const DIAGRAM_END = '<!-- workflows:diagram:end -->';

const SECTION_INTRO = [
  '## The signal lifecycle',
  wrap(
    'A signal moves through a versioned transition table kept as data in ' +
      '`workflows/<name>/<name>.v<version>.json`: states with their Dutch label and deadline, commands ' +
      'with the states they may be fired in, the roles that may fire them, their fields and the event ' +
      'they record. Every definition is validated when the app starts (a broken one stops the start), ' +
      'and a signal keeps the version it started under. The diagrams below are generated; the test ' +
      'suite fails when they are out of date.',
  ),
].join('\n\n');

/** The README with the diagram block replaced, or a lifecycle section added before "## Architecture". */
export function updateReadme(readme: string, definitions: readonly WorkflowDefinition[]): string {
  const block = `${DIAGRAM_START}\n\n${renderWorkflowsMarkdown(definitions)}\n\n${DIAGRAM_END}`;
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start >= 0 && end > start) {
    return readme.slice(0, start) + block + readme.slice(end + DIAGRAM_END.length);
  }
  const section = `${SECTION_INTRO}\n\n${block}\n\n`;
  const architecture = readme.search(/^## Architecture\b/m);
  return architecture >= 0
    ? readme.slice(0, architecture) + section + readme.slice(architecture)
    : `${readme.trimEnd()}\n\n${section.trimEnd()}\n`;
}

/** The text between the markers, or null when the README has none. */
export function readmeDiagramBlock(readme: string): string | null {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  return start >= 0 && end > start ? readme.slice(start + DIAGRAM_START.length, end).trim() : null;
}
