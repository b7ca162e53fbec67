import type { DashboardApp, RouteKit } from '../context';
import { csvResponse } from '../csv';
import { latestOutbox, outboxChannelsUsed } from '../data/outbox-data';
import { OutboxPage, outboxSpec } from '../pages/outbox';

const LIMIT = 100;
const CSV_LIMIT = 10_000;

/** The dev outbox (every channel, or one with `?channel=`): the newest 100 on the page, up to 10,000 in its CSV. */
export function outboxRoutes(app: DashboardApp, kit: RouteKit): void {
  const { db } = kit.deps;
  app.get('/dashboard/outbox', async (c) => {
    const channel = c.req.query('channel') || undefined;
    const [entries, used] = await Promise.all([latestOutbox(db, LIMIT, channel), outboxChannelsUsed(db)]);
    const channels = [...new Set([...kit.deps.outboxChannels, ...used])].sort();
    return c.html(<OutboxPage ctx={kit.page(c, true)} entries={entries} channels={channels} channel={channel} />);
  });

  app.get('/dashboard/outbox.csv', async (c) => {
    const channel = c.req.query('channel') || undefined;
    return csvResponse(c, channel ? `outbox-${channel}.csv` : 'outbox.csv', outboxSpec(kit.lang(c)), await latestOutbox(db, CSV_LIMIT, channel));
  });
}
