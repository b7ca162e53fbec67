import { LOGGED_TOUCH_KINDS } from '../../../db/schema';
import { labelOf } from '../i18n';
import type { PageContext } from '../layout';

/**
 * The contact page's "log a touch" form: kind, staff member, time on the contact's clock (empty = now), optional funnel,
 * outcome, notes and value; it posts to the dashboard with the session and the form's CSRF token.
 */
export function LogTouchForm(props: { ctx: PageContext; contactId: string; zone: string; funnels: string[] }) {
  const { m, csrf } = props.ctx;
  return (
    <form method="post" class="log-touch" id="log-touch" action={`/dashboard/contacts/${encodeURIComponent(props.contactId)}/touches`}>
      <input type="hidden" name="csrf" value={csrf} />
      <label>{m.touchKind} <select name="kind">
        {LOGGED_TOUCH_KINDS.map((k) => <option value={k}>{labelOf(m, 'kind_', k)}</option>)}
      </select></label>
      <label>{m.staffMember} <input name="by" required maxlength={200} /></label>
      <label>{m.time} ({props.zone}) <input type="datetime-local" name="at" /></label>
      <label>{m.funnel} <select name="funnelId">
        <option value="">{m.anyOpenFunnel}</option>
        {props.funnels.map((f) => <option value={f}>{f}</option>)}
      </select></label>
      <label>{m.outcome} <input name="outcome" maxlength={200} /></label>
      <label>{m.notes} <textarea name="notes" rows={2} maxlength={4000} /></label>
      <label>{m.value} <input name="value" inputmode="decimal" /></label>
      <button type="submit">{m.logTouch}</button>
    </form>
  );
}
