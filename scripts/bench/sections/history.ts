import type { Figure, Section } from '../types';
import { TARGET, benchHistory } from '../../bench-history';

/**
 * History bytes and worker RSS per sleeping enrollment: `npm run bench:history`'s measurement (its own dev server and
 * worker), run inside the suite with 500 sleeping enrollments for `--quick` and 10,000 otherwise.
 */
export const historySection: Section = {
  id: 'history',
  title: 'History bytes and worker RSS per sleeping enrollment',
  async run(ctx) {
    const enrollments = ctx.quick ? 500 : 10_000;
    const f = await benchHistory({ enrollments, samples: ctx.quick ? 5 : 10, progress: (l) => ctx.log(`history: ${l}`) });
    const last = f.rss.at(-1)?.rssBytes ?? null;
    const figures: Figure[] = [
      {
        name: 'sleeping history, webinar-autofunnel (bytes)', unit: 'B', engine: f.sleepingHistoryBytes.webinar,
        baselineName: 'the same run with the whole plan in its input (course-welcome)', baseline: f.sleepingHistoryBytes.fullPlanCourseWelcome,
        ratio: f.sleepingHistoryBytes.webinar / f.sleepingHistoryBytes.fullPlanCourseWelcome, lowerIsBetter: true,
        target: { max: TARGET.sleepingHistoryBytes, text: '≤ 5 KB' },
      },
      {
        name: 'sendTouch input, largest (bytes)', unit: 'B', engine: f.sendTouchInputBytes.max,
        baselineName: 'the same touch in the whole-plan shape', baseline: f.sendTouchInputBytes.fullShapeMax,
        ratio: f.sendTouchInputBytes.max / f.sendTouchInputBytes.fullShapeMax, lowerIsBetter: true,
        target: { max: TARGET.sendTouchInputBytes, text: '≤ 600 B' },
      },
      {
        name: `worker RSS, ${f.enrollments} sleeping (cache ${f.cachedWorkflows}) (MiB)`, unit: 'MiB', engine: last === null ? null : Math.round(last / 2 ** 20),
        note: `target ≤ 1 GiB at ${TARGET.workerRssAtEnrollments.toLocaleString('en')}; RSS as they grew: ${f.rss.map((r) => `${r.enrollments}: ${Math.round(r.rssBytes / 2 ** 20)}`).join(', ')} MiB`,
      },
    ];
    return { figures, notes: [`dev-server disk per sleeping enrollment ${Math.round(f.disk.perEnrollmentBytes / 1024)} KB (a raw start's ${Math.round(f.disk.floorPerStartBytes / 1024)} KB)`] };
  },
};
