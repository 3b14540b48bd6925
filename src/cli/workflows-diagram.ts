import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { updateReadme } from '../../workflows/mermaid.js';
import { WORKFLOWS } from '../../workflows/registry.js';

/**
 * Renders the Mermaid diagram of every registered workflow definition into README.md, between
 * the workflows:diagram markers. `--check` changes nothing and exits 1 when the README is stale.
 */
const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
let check = false;
try {
  // Strict: a mistyped `--chek` is refused rather than taken as "write the README".
  check =
    parseArgs({ args: process.argv.slice(2), strict: true, options: { check: { type: 'boolean' } } }).values
      .check === true;
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run workflows:diagram [-- --check]`);
  process.exit(2);
}

const readme = readFileSync(readmePath, 'utf8');
const updated = updateReadme(readme, WORKFLOWS);
if (updated === readme) {
  console.log(`${readmePath}: workflow diagrams are up to date`);
} else if (check) {
  console.error(`${readmePath}: workflow diagrams are out of date; run \`npm run workflows:diagram\``);
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, updated);
  console.log(`${readmePath}: workflow diagrams written (${WORKFLOWS.length} definitions)`);
}
