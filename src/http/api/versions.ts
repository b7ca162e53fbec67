import { Hono } from 'hono';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/deps';
import { NotFoundError } from '../../errors';
import { MigrationRequest, planMigration } from '../../versions/plan-migration';
import { migrationProgressOf, migrationsOf, startMigration } from '../../versions/start-migration';
import { currentVersionOf, funnelVersions, noteUnknownSteps } from '../../versions/resolve-steps';
import { readJson, readQuery } from './validate';

/** The query of `GET /api/funnels/:id/diff`: the running version to compare with the current one (default: every one in flight). */
export const DiffQuery = z.object({ from: z.string().min(1).max(64).optional() }).strict();

/**
 * Versions and migrations of a funnel: `GET /:id/versions` (in flight, per step), `GET /:id/diff` (by step id, and
 * where the resting enrollments would go), `POST /:id/migrations` (a dry run answers 200 with the plan; otherwise 202
 * with the started migration), `GET /:id/migrations[/:migrationId]` (progress).
 */
export function versionRoutes(deps: EngineDeps): Hono {
  return new Hono()
    .get('/:funnelId/versions', async (c) => c.json(await funnelVersions(deps, c.req.param('funnelId'))))
    .get('/:funnelId/diff', async (c) => {
      const funnelId = c.req.param('funnelId');
      const { from } = readQuery(c, DiffQuery);
      await currentVersionOf(deps, funnelId);
      await noteUnknownSteps(deps, funnelId);
      const plan = await planMigration(deps, funnelId, { from: from ?? 'all' });
      return c.json({ funnelId, to: plan.to, versions: plan.diffs.map((d) => ({ version: d.version, ...d.diff, atStep: plan.steps.filter((s) => s.version === d.version) })) });
    })
    .post('/:funnelId/migrations', async (c) => {
      const funnelId = c.req.param('funnelId');
      await currentVersionOf(deps, funnelId); // an unknown funnel is a 404 before the body is read
      const body = await readJson(c, MigrationRequest);
      if (body.dryRun) return c.json({ dryRun: true, ...(await planMigration(deps, funnelId, body)) }, 200);
      return c.json(await startMigration(deps, funnelId, body), 202);
    })
    .get('/:funnelId/migrations', async (c) => {
      const funnelId = c.req.param('funnelId');
      await currentVersionOf(deps, funnelId);
      return c.json(await migrationsOf(deps, funnelId));
    })
    .get('/:funnelId/migrations/:migrationId', async (c) => {
      const funnelId = c.req.param('funnelId');
      const view = await migrationProgressOf(deps, funnelId, c.req.param('migrationId'));
      if (!view) throw new NotFoundError('migration', c.req.param('migrationId'));
      return c.json(view);
    });
}
