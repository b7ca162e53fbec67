import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadFunnels } from '../../src/dsl/load';
import { childLists, type Plan, type Step } from '../../src/dsl/plan';
import { artifactPath, launchChromium } from '../helpers/browser';
import { SERVED, startServedApp, type ServedTestApp } from '../helpers/served-app';

/*
 * The plan drawing reads on a 1,280-px page: the shipped funnels with branches (the webinar autofunnel's 38 boxes were
 * one 3,200-px column) wrap into columns side by side, nothing on the page scrolls sideways, and no box hides another.
 */

let app: ServedTestApp;
let browser: Browser;
let page: Page;
let plans: Plan[];

const stepIds = (steps: Step[]): string[] => steps.flatMap((s) => [s.id, ...childLists(s).flatMap((l) => stepIds(l.steps))]);

beforeAll(async () => {
  const { funnels } = await loadFunnels('funnels');
  plans = funnels.map((f) => f.plan).filter((p) => ['webinar-autofunnel', 'bot-quiz'].includes(p.id));
  expect(plans.map((p) => p.id).sort()).toEqual(['bot-quiz', 'webinar-autofunnel']);
  app = await startServedApp({ plans });
  browser = await launchChromium();
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(5000);
  page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await page.getByLabel('Пароль').fill(SERVED.adminPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.stop();
});

describe('the plan drawing at 1,280 px', () => {
  it.each(['webinar-autofunnel', 'bot-quiz'])('draws %s within the page width, in columns, every step once, no box over another', async (id) => {
    await page.goto(`${app.url}/dashboard/funnels/${id}`);
    const plan = plans.find((p) => p.id === id)!;
    const m = await page.evaluate(`(() => {
      const svg = document.querySelector('svg.plan');
      const fig = svg.closest('figure');
      const boxes = [...svg.querySelectorAll('g[data-step] rect')].map((r) => r.getBoundingClientRect());
      const overlaps = boxes.filter((a, i) => boxes.some((b, j) => i !== j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)).length;
      return {
        page: document.documentElement.scrollWidth, figure: fig.getBoundingClientRect().right, height: svg.getBoundingClientRect().height,
        width: svg.getBoundingClientRect().width, fits: fig.scrollWidth <= fig.clientWidth, overlaps,
        steps: [...svg.querySelectorAll('g[data-step]')].map((g) => g.getAttribute('data-step')),
        columns: new Set(boxes.map((b) => Math.round(b.left))).size,
      };
    })()`) as { page: number; figure: number; height: number; width: number; fits: boolean; overlaps: number; steps: string[]; columns: number };
    expect(m.page, JSON.stringify(m)).toBeLessThanOrEqual(1280);
    expect(m.figure).toBeLessThanOrEqual(1280);
    expect(m.overlaps).toBe(0);
    // Every step once (besides the entry box and the stand-ins for empty arms, named `<step>.<arm>`).
    expect(m.steps.filter((s) => s !== '__entry' && !s.includes('.')).sort()).toEqual(stepIds(plan.steps).sort());
    expect(m.height).toBeLessThan(2000); // about two screens, not a 4,000-px column
    if (id === 'webinar-autofunnel') {
      expect(m.fits).toBe(true); // the whole drawing on the page, no scrolling even inside its box
      expect(m.columns).toBeGreaterThan(3);
      expect(m.height).toBeLessThan(1400);
    }
    await page.locator('svg.plan').screenshot({ path: artifactPath(`dashboard-plan-${id}-1280.png`) });
  });
});
