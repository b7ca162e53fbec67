import type { Refusal } from '../../../engine/registry';
import type { PageContext } from '../layout';

/** The red banner of refused funnel files (or parts of one funnel), each message as `npm run check` prints it; nothing when none. */
export function RefusalBanner(props: { ctx: PageContext; refusals: Refusal[]; scope: 'all' | 'funnel' }) {
  if (props.refusals.length === 0) return null;
  const { m } = props.ctx;
  return (
    <div class="refused" role="alert" data-refused={String(props.refusals.length)}>
      <strong>{props.scope === 'all' ? m.refusedAll : m.refusedFunnel}</strong>
      <ul>{props.refusals.map((r) => <li><code>{r.text}</code></li>)}</ul>
    </div>
  );
}

/** The draft badge next to a funnel's name: a draft enrolls only test contacts and explicit API enrollments. */
export function DraftBadge(props: { ctx: PageContext; draft: boolean | undefined }) {
  return props.draft ? <span class="badge draft" title={props.ctx.m.draftNote} data-draft="true">{props.ctx.m.draft}</span> : null;
}
