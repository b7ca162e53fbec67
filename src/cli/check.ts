// npm run check — loads every funnel in FUNNELS_DIR (default ./funnels) and reports what is wrong, then what will
// misbehave at run time (warnings: printed, exit code 0).
import { loadFunnels } from '../dsl/load';
import { planTouches } from '../dsl/plan';

const { funnels, problems, warnings } = await loadFunnels(process.env.FUNNELS_DIR ?? './funnels', {
  telegramBot: Boolean(process.env.TELEGRAM_BOT_TOKEN), vkCommunity: Boolean(process.env.VK_GROUP_ID), staffTasks: Boolean(process.env.STAFF_TASK_WEBHOOK_URL || process.env.TEAM_EMAIL || process.env.TEAM_TELEGRAM_CHAT_ID),
});

for (const p of problems) process.stderr.write(`${p.text}\n`);
for (const w of warnings) process.stderr.write(`${w.text}\n`);
const warned = warnings.length > 0 ? ` — ${warnings.length} warning(s), see above` : '';
if (problems.length > 0) {
  process.stderr.write(`${problems.length} problem(s)${warned}\n`);
  process.exitCode = 1;
} else {
  const list = funnels.map((f) => `${f.plan.id}@${f.version} (${planTouches(f.plan).length} touches)`).join(', ');
  const drafts = funnels.filter((f) => f.plan.draft).map((f) => f.plan.id);
  const draftNote = drafts.length > 0 ? ` — draft(s), enrolling only test contacts: ${drafts.join(', ')}` : '';
  process.stdout.write(`ok: ${funnels.length} funnel(s)${list ? ` — ${list}` : ''}${draftNote}${warned}\n`);
}
