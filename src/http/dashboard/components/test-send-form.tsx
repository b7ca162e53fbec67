import type { TouchStats } from '../../../analytics/funnel-stats';
import type { I18n } from '../i18n';
import type { Column } from './data-table';

/** What the per-touch table needs to offer a test send: the form's CSRF token, the funnel, its sendable touches by channel. */
export interface TestSendColumn {
  csrf: string;
  funnelId: string;
  /** Touch id → the channels it has content for, its primary first. */
  channels: Map<string, string[]>;
}

const KIND_OF: Record<string, 'email' | 'phone' | 'telegramChatId'> = { email: 'email', sms: 'phone', telegram: 'telegramChatId' };

/** The per-touch table's "send a test" form (in the detail row): an address and a button posting to the dashboard (session + CSRF); not in the CSV. */
export function testSendColumn({ m }: I18n, t: TestSendColumn): Column<TouchStats> {
  return {
    key: 'test', head: m.testSend, htmlOnly: true, detail: true, csv: () => null,
    cell: (row) => {
      const channels = t.channels.get(row.touchId);
      if (!channels) return '';
      return (
        <form method="post" class="test-send" action={`/dashboard/funnels/${encodeURIComponent(t.funnelId)}/touches/${encodeURIComponent(row.touchId)}/test`}>
          <input type="hidden" name="csrf" value={t.csrf} />
          <select name="kind" aria-label={m.channel}>
            {channels.map((ch) => <option value={KIND_OF[ch]}>{ch}</option>)}
          </select>
          <input name="to" required placeholder={m.testTo} aria-label={m.testTo} />
          <button type="submit">{m.testSend}</button>
        </form>
      );
    },
  };
}
