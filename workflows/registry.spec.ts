import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { WorkflowDefinitionError, parseDefinitionJson } from './load-definition.js';
import {
  UnknownWorkflowError,
  WORKFLOWS,
  getWorkflow,
  latestWorkflow,
  registerWorkflows,
} from './registry.js';
import v1 from './signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };

const workflowsDir = new URL('./', import.meta.url);

/** Every `workflows/<name>/<name>.v<version>.json` on disk (the taxonomy's files are no workflows). */
function shippedFiles(): { name: string; version: number; url: URL }[] {
  return readdirSync(workflowsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) =>
      readdirSync(new URL(`${folder.name}/`, workflowsDir))
        .map((file) => new RegExp(`^${folder.name}\\.v(\\d+)\\.json$`).exec(file))
        .filter((match) => match !== null)
        .map((match) => ({
          name: folder.name,
          version: Number(match[1]),
          url: new URL(`${folder.name}/${match[0]}`, workflowsDir),
        })),
    );
}

describe('the workflow registry', () => {
  it('given the shipped files, when the registry loads, then each is registered under its file name', () => {
    const files = shippedFiles();
    expect(files.map(({ name, version }) => `${name}@${version}`)).toContain('signal-lifecycle@1');
    expect(WORKFLOWS.map(({ name, version }) => `${name}@${version}`).sort()).toEqual(
      files.map(({ name, version }) => `${name}@${version}`).sort(),
    );
  });

  it.each(shippedFiles().map((file) => [`${file.name}@${file.version}`, file] as const))(
    'given the text of %s, when parsed with the duplicate-key scan, then it is valid and equals the registered one',
    (_id, file) => {
      const parsed = parseDefinitionJson(readFileSync(file.url, 'utf8'));
      expect(parsed).toEqual(getWorkflow(file.name, file.version));
    },
  );

  it('given a name and version, when looked up, then the definition is returned', () => {
    expect(getWorkflow('signal-lifecycle', 1).initialState).toBe('submitted');
    expect(latestWorkflow('signal-lifecycle').version).toBe(
      Math.max(...WORKFLOWS.filter((d) => d.name === 'signal-lifecycle').map((d) => d.version)),
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'an unknown name',
      () => getWorkflow('dossier-lifecycle', 1),
      /Unknown workflow "dossier-lifecycle" \(known: signal-lifecycle\)/,
    ],
    [
      'an unknown version',
      () => getWorkflow('signal-lifecycle', 99),
      /Unknown version 99 of workflow "signal-lifecycle" \(known versions: 1/,
    ],
    ['an unknown name for the latest', () => latestWorkflow('nope'), /Unknown workflow "nope"/],
  ])('given %s, when looked up, then a clear error is thrown', (_label, lookUp, message) => {
    expect(lookUp).toThrow(UnknownWorkflowError);
    expect(lookUp).toThrow(message);
    try {
      lookUp();
    } catch (error) {
      expect((error as UnknownWorkflowError).code).toBe('UNKNOWN_WORKFLOW');
    }
  });

  it('given two versions, when registered, then they are ordered and the latest is the highest', () => {
    const registered = registerWorkflows([{ ...v1, version: 2 }, v1]);
    expect(registered.map((d) => d.version)).toEqual([1, 2]);
  });

  it('given the same name@version twice, when registered, then the start is refused', () => {
    expect(() => registerWorkflows([v1, v1])).toThrow(
      'Workflow definition signal-lifecycle@1 is shipped twice',
    );
  });

  it('given a broken definition, when registered, then the start is refused with its faults', () => {
    expect(() => registerWorkflows([{ ...v1, initialState: 'new' }])).toThrow(WorkflowDefinitionError);
  });
});
