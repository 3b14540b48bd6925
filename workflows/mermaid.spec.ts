import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { WorkflowDefinition } from './definition.js';
import { validateDefinition } from './load-definition.js';
import {
  DIAGRAM_END,
  DIAGRAM_START,
  readmeDiagramBlock,
  renderWorkflowsMarkdown,
  toMermaid,
  updateReadme,
} from './mermaid.js';
import { WORKFLOWS, getWorkflow } from './registry.js';
import v1 from './signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };

const README = new URL('../README.md', import.meta.url);

function edgesOf(diagram: string): string[] {
  return diagram
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(' --> '));
}

/** Version 1 with extra states and commands, to draw what version 1 does not hold. */
function v1Plus(
  change: (definition: { states: Record<string, object>; commands: Record<string, object> }) => void,
) {
  const copy = structuredClone(v1) as unknown as {
    states: Record<string, object>;
    commands: Record<string, object>;
  };
  change(copy);
  return validateDefinition(copy);
}

describe('toMermaid', () => {
  const lifecycle = getWorkflow('signal-lifecycle', 1);
  const diagram = toMermaid(lifecycle);
  const edges = edgesOf(diagram);

  it('given version 1, when drawn, then it is a state diagram starting at the creating command', () => {
    expect(diagram.split('\n')[0]).toBe('stateDiagram-v2');
    expect(edges).toContain('[*] --> submitted: submit [giver, lead, proc, partner]');
  });

  it.each([
    ['submitted', 'state "Ingediend (2 d)" as submitted'],
    ['awaiting-info', 'state "Wacht op informatie (10 d)" as awaiting_info'],
    ['escalated', 'state "Geagendeerd bij beleid (60 d)" as escalated'],
    ['closed', 'state "Afgesloten" as closed'],
  ])('given state %s, when drawn, then its Dutch label and deadline show', (_state, line) => {
    expect(diagram).toContain(`  ${line}\n`);
  });

  it('given version 1, when drawn, then there is one edge per from-state and command', () => {
    const expected = Object.entries(lifecycle.commands)
      .filter(([, command]) => command.from.length > 0 && !command.from.includes('*'))
      .reduce((count, [, command]) => count + command.from.length * (command.to === '@previous' ? 4 : 1), 1);
    expect(edges.filter((edge) => !edge.endsWith('--> [*]'))).toHaveLength(expected);
    expect(edges).toContain('triaged --> assigned: assign [lead]');
    expect(edges).toContain('in_analysis --> assigned: reassign [lead]');
    expect(edges).toContain('escalated --> escalated: record-policy-decision [lead]');
  });

  it('given provide-info goes to @previous, when drawn, then it goes back to every state that asks', () => {
    const back = edges.filter((edge) => edge.startsWith('awaiting_info -->'));
    expect(back.sort()).toEqual(
      [
        'awaiting_info --> assigned: provide-info ↩ [giver, lead]',
        'awaiting_info --> in_analysis: provide-info ↩ [giver, lead]',
        'awaiting_info --> submitted: provide-info ↩ [giver, lead]',
        'awaiting_info --> triaged: provide-info ↩ [giver, lead]',
      ].sort(),
    );
  });

  it('given the terminal states, when drawn, then each ends the diagram', () => {
    expect(edges.filter((edge) => edge.endsWith('--> [*]')).sort()).toEqual(
      ['closed --> [*]', 'merged --> [*]', 'rejected --> [*]'].sort(),
    );
  });

  it('given add-note in any state, when drawn, then it is a note, not a loop on every state', () => {
    expect(diagram).toContain('  note right of submitted\n    In any state:\n    mark-overdue [system]\n');
    expect(diagram).toContain('    add-note [lead, proc, partner]\n  end note');
    expect(edges.some((edge) => edge.includes('add-note'))).toBe(false);
  });

  it.each<[string, string, string]>([
    ['PT12H', 'Ingediend (12 u)', 'hours'],
    ['P1W', 'Ingediend (1 w)', 'weeks'],
    ['P1DT12H', 'Ingediend (1 d 12 u)', 'days and hours'],
    ['P1M', 'Ingediend (1 mnd)', 'months'],
  ])('given a deadline of %s, when drawn, then the label reads "%s" (%s)', (deadline, label) => {
    const definition = v1Plus((d) => (d.states['submitted'] = { label: 'Ingediend', deadline }));
    expect(toMermaid(definition)).toContain(`state "${label}" as submitted`);
  });

  it('given an any-state command to a named state and one back to @previous, when drawn, then the note says so', () => {
    const definition = v1Plus((d) => {
      d.commands['withdraw'] = {
        label: 'Intrekken',
        from: ['*'],
        to: 'rejected',
        roles: ['signal-giver'],
        required: ['reason'],
        optional: [],
        event: 'SignalWithdrawn',
      };
    });
    expect(toMermaid(definition)).toContain('    withdraw [giver] → Niet aanvaard\n');
  });

  it('given a label with characters Mermaid reads as syntax, when drawn, then they are neutralised', () => {
    const definition = v1Plus((d) => (d.states['closed'] = { label: 'Af "gesloten"; #1', terminal: true }));
    expect(toMermaid(definition)).toContain(`state "Af 'gesloten'   1" as closed`);
  });
});

describe('the README diagram block', () => {
  const readme = readFileSync(README, 'utf8');

  it('given the registered definitions, when rendered, then README.md holds exactly that rendering (if not: npm run workflows:diagram)', () => {
    expect(readmeDiagramBlock(readme)).toBe(renderWorkflowsMarkdown(WORKFLOWS));
    expect(updateReadme(readme, WORKFLOWS)).toBe(readme);
  });

  describe('given a README without markers', () => {
    const bare = '# Title\n\nIntro.\n\n## Architecture\n\nBoxes.\n';

    it('when updated, then a lifecycle section with the markers goes right before Architecture', () => {
      const updated = updateReadme(bare, WORKFLOWS);
      const section = updated.indexOf('## The signal lifecycle');
      expect(section).toBeGreaterThan(updated.indexOf('Intro.'));
      expect(updated.indexOf(DIAGRAM_START)).toBeGreaterThan(section);
      expect(updated.indexOf(DIAGRAM_END)).toBeLessThan(updated.indexOf('## Architecture'));
      expect(updated).toContain('### signal-lifecycle v1\n');
      expect(updated.endsWith('## Architecture\n\nBoxes.\n')).toBe(true);
    });

    it('when updated twice, then the second update changes nothing', () => {
      const once = updateReadme(bare, WORKFLOWS);
      expect(updateReadme(once, WORKFLOWS)).toBe(once);
    });
  });

  it('given a stale block, when updated, then only the text between the markers changes', () => {
    const stale = `before\n${DIAGRAM_START}\nold diagram\n${DIAGRAM_END}\nafter\n`;
    const updated = updateReadme(stale, WORKFLOWS);
    expect(updated.startsWith(`before\n${DIAGRAM_START}\n\n`)).toBe(true);
    expect(updated.endsWith(`\n\n${DIAGRAM_END}\nafter\n`)).toBe(true);
    expect(readmeDiagramBlock(updated)).toBe(renderWorkflowsMarkdown(WORKFLOWS));
  });

  it('given several versions, when rendered, then each gets its heading and diagram', () => {
    const v2: WorkflowDefinition = { ...getWorkflow('signal-lifecycle', 1), version: 2 };
    const markdown = renderWorkflowsMarkdown([getWorkflow('signal-lifecycle', 1), v2]);
    expect(markdown.match(/^### signal-lifecycle v\d$/gm)).toEqual([
      '### signal-lifecycle v1',
      '### signal-lifecycle v2',
    ]);
    expect(markdown.match(/^```mermaid$/gm)).toHaveLength(2);
  });
});
