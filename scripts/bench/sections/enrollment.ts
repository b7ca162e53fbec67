import type { Figure, Section } from '../types';
import { interleaved, median, sleep } from '../stats';
import { lanes, postLoad } from '../load';
import { ENROLL_FUNNEL } from '../funnels';

let run = 0;

/**
 * Enrollments per second through `POST /api/funnels/:id/enrollments` (a new contact in the body each time; the funnel
 * sleeps a day first) against raw `client.workflow.start` of a workflow that sleeps, served by the raw worker on the
 * same Temporal server — the same Temporal work per start (one workflow task, one timer).
 */
export const enrollmentSection: Section = {
  id: 'enrollment',
  title: 'Enrollment via the API vs raw Temporal workflow.start',
  async run(ctx) {
    const engine = await ctx.stack.engine();
    const rawQueue = await ctx.stack.rawWorker();
    const client = await ctx.stack.client();
    const seconds = ctx.quick ? 3 : 6;
    const figures: Figure[] = [];
    for (const c of [16, 64]) {
      const r = ++run;
      let failed = 0;
      const values = await interleaved(ctx.reps, {
        engine: async () => {
          const k = ++run;
          const res = await postLoad({
            base: engine.base, path: `/api/funnels/${ENROLL_FUNNEL}/enrollments`, connections: c, seconds,
            body: (i) => JSON.stringify({ contact: { externalId: `en-${r}-${k}-${i}`, email: `en-${r}-${k}-${i}@bench.example`, consent: { email: true } } }),
          });
          failed += res.non2xx + res.errors;
          await sleep(1500); // the worker's backlog of first workflow tasks clears before the other side runs
          return res.rps;
        },
        raw: async () => {
          const k = ++run;
          const res = await lanes(c, seconds, (i) => client.workflow.start('rawSleep', { taskQueue: rawQueue, workflowId: `raw-${r}-${k}-${i}`, args: [86_400_000] }).then(() => undefined));
          failed += res.failed;
          await sleep(1500);
          return res.perSecond;
        },
      });
      ctx.log(`  enrollment ${c} concurrent: engine ${values.engine.map((v) => v.toFixed(0)).join(', ')}/s; raw ${values.raw.map((v) => v.toFixed(0)).join(', ')}/s`);
      const e = median(values.engine);
      const b = median(values.raw);
      figures.push({
        name: `enrollments/s via the API, ${c} concurrent`, unit: '/s', engine: e, baselineName: 'Temporal workflow.start', baseline: b, ratio: e / b,
        target: { ratio: 0.8, text: '≥ 0.8×' }, runs: { engine: values.engine, baseline: values.raw },
        ...(failed > 0 && { note: `${failed} requests failed` }),
      });
    }
    return { figures };
  },
};
