// npm run check — loads every funnel in FUNNELS_DIR (default ./funnels) and reports what is wrong.
import { loadFunnels } from '../dsl/load';
import { planTouches } from '../dsl/plan';

const { funnels, problems } = await loadFunnels(process.env.FUNNELS_DIR ?? './funnels');

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p.text}\n`);
  process.exitCode = 1;
} else {
  const list = funnels.map((f) => `${f.plan.id}@${f.version} (${planTouches(f.plan).length} touches)`).join(', ');
  process.stdout.write(`ok: ${funnels.length} funnel(s)${list ? ` — ${list}` : ''}\n`);
}
