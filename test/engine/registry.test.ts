import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/dsl/plan';
import { freshDatabase } from '../helpers/test-db';
import { storeFunnelVersions } from '../../src/db/funnels';
import { FunnelRegistry } from '../../src/engine/registry';
import { NotFoundError } from '../../src/errors';

const plan = (subject: string): Plan => ({
  id: 'f', name: 'F', entry: 'lead.created', timezone: 'Europe/Moscow', goal: { event: 'order.paid', withinMs: 1000, exit: true },
  attributes: [], events: [], steps: [{ type: 'email', id: 'hello', subject, text: 'x' }],
});

describe('FunnelRegistry.planAt', () => {
  it('answers the current plan, an older stored version (read once), and not found for an unknown one', async () => {
    const { db } = await freshDatabase();
    await storeFunnelVersions(db, [{ plan: plan('old'), version: 'v1' }]);
    const registry = new FunnelRegistry([{ plan: plan('new'), version: 'v2' }]);
    expect((await registry.planAt(db, 'f', 'v2')).steps[0]).toMatchObject({ subject: 'new' });
    expect((await registry.planAt(db, 'f', 'v1')).steps[0]).toMatchObject({ subject: 'old' });
    await expect(registry.planAt(db, 'f', 'v9')).rejects.toBeInstanceOf(NotFoundError);
    await db.destroy();
    expect((await registry.planAt(db, 'f', 'v1')).steps[0]).toMatchObject({ subject: 'old' }); // from memory, the db is closed
    expect(registry.enteredBy('lead.created').map((f) => f.version)).toEqual(['v2']);
  });
});
