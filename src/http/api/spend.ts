import { Hono } from 'hono';
import type { EngineDeps } from '../../engine/deps';
import { checkSpendRows, SpendBody, spendItemsFromCsv, spendItemsFromJson } from '../../money/spend-input';
import { storeSpend } from '../../money/spend';
import { readJson } from './validate';

/** `POST /spend`: ad spend per source and day, JSON (one row or `{rows}`) or `text/csv`; every row is checked first, any bad row → 422 and nothing stored. */
export function spendRoutes(deps: EngineDeps): Hono {
  return new Hono().post('/', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const items = /^(text|application)\/(csv|vnd\.ms-excel)/i.test(type) ? spendItemsFromCsv(await c.req.text()) : spendItemsFromJson(await readJson(c, SpendBody));
    const entries = checkSpendRows(items, new Set(deps.funnels.all().map((f) => f.plan.id)));
    const rows = await storeSpend(deps.db, entries, deps.now());
    return c.json({ stored: rows.length, rows }, 201);
  });
}
