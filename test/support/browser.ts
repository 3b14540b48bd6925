import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_TENANT, seedDemoAccounts } from '../../src/demo/demo-accounts.js';
import { seedDemoTenants } from '../../src/demo/seed-demo-tenants.js';
import { IdentityStore } from '../../src/people/identity-store.port.js';
import { PeopleService } from '../../src/people/people.service.js';
import { systemClock } from '../../src/platform/clock.js';
import { webAppDir } from '../../src/platform/http/web-app.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Browser tests drive Debian's Chromium (`apt install chromium`) with playwright-core, against
 * the real app serving the built web app (`npm run build:web`, done by `npm test`). Without
 * Chromium they are reported as skipped, except in CI (`CI=true`), where they fail.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it (apt-get install chromium)`);
}
if (!existsSync(join(webAppDir(), 'index.html'))) {
  throw new Error(`No web app build in ${webAppDir()}: run \`npm run build:web\` (npm test does)`);
}

/** `describe` when Chromium is there, `describe.skip` (reported as skipped) otherwise. */
export const describeInBrowser = available ? describe : describe.skip;

/** Where the tests save screenshots of the main screens; the README shows them. */
export const SCREENSHOTS = resolve('test/e2e/web/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As the machine notes say: without the background-networking flags Chromium keeps trying
    // hosts this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WebApp {
  app: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on a free loopback port with the demo municipality (gent: its organisations and
 * one account per role, password `DEMO_PASSWORD`), as a newcomer's `npm start` has it.
 */
export async function startWebApp(options: Parameters<typeof startTestApp>[0] = {}): Promise<WebApp> {
  const app = await startTestApp(options);
  await seedDemoTenants(app.store, [DEMO_TENANT], systemClock);
  await seedDemoAccounts(app.app.get(PeopleService), app.app.get(IdentityStore), app.app.get(TenantsService));
  await app.app.listen(0, '127.0.0.1');
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Signs in through the sign-in page, as a person does. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/aanmelden`);
  await page.getByLabel('Bestuur').fill(DEMO_TENANT);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel(/^Wachtwoord/).fill(DEMO_PASSWORD);
  // exact: the OIDC button ("Aanmelden via identiteitsprovider") also starts with "Aanmelden".
  await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
  await page.getByRole('button', { name: 'Afmelden' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: a full-page shot of a scrolled page draws the fixed header and menu where the
  // scroll left them, over the middle of the page.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  /** CSS selectors of the first offending elements, to find them. */
  targets: string[];
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) in the page; returns the serious and critical ones. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the app's CSP (rightly) refuses an injected <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<AxeResults> };
      document: unknown;
    };
    const results = await scope.axe.run(scope.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
}
