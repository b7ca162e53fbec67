import { Layout, type PageContext } from '../layout';
import type { I18n } from '../i18n';
import type { OutboxEntry } from '../data/outbox-data';
import { DataTable, type TableSpec } from '../components/data-table';
import { isoInZone, TimeCell } from '../components/time-cell';
import { contactHref, funnelHref, hrefWith } from '../query';

/** The path of an email's rendered body, served to a sandboxed frame. */
export const outboxFrameHref = (id: string) => `/dashboard/outbox/${encodeURIComponent(id)}/frame`;

/**
 * Stored messages of every channel: times in the recipient's zone (shown), recipients by name, email rendered in a
 * sandboxed frame (no scripts, remote images or navigation) with its source beside it, test sends marked.
 */
export function outboxSpec({ m, fmt }: I18n): TableSpec<OutboxEntry> {
  return {
    rowAttrs: (e) => ({ 'data-outbox': e.id }),
    columns: [
      {
        key: 'createdAt', head: m.time, csv: (e) => isoInZone(e.createdAt, e.zone),
        cell: (e) => <><TimeCell ms={e.createdAt} zone={e.zone} fmt={fmt} /><br /><span class="muted" data-zone={e.zone}>{e.zone}</span></>,
      },
      { key: 'timezone', head: m.zone, csvOnly: true, csv: (e) => e.zone },
      { key: 'channel', head: m.channel, csv: (e) => e.channel },
      {
        key: 'recipientName', head: m.personName, csv: (e) => e.recipientName,
        cell: (e) => (e.test ? <span class="badge test" data-test-send="yes">{m.testBadge}</span> : e.recipientName ?? '—'),
      },
      { key: 'recipient', head: m.recipient, csv: (e) => e.recipient },
      { key: 'test', head: m.testBadge, csvOnly: true, csv: (e) => e.test },
      { key: 'contactId', head: m.contact, csv: (e) => e.contactId, cell: (e) => (e.contactId ? <a href={contactHref(e.contactId)}><code>{e.contactId}</code></a> : '—') },
      { key: 'subject', head: m.subject, wrap: true, csv: (e) => e.subject, cell: (e) => e.subject ?? '—' },
      { key: 'funnelId', head: m.funnel, csv: (e) => e.funnelId, cell: (e) => (e.funnelId ? <a href={funnelHref(e.funnelId)}>{e.funnelId}</a> : '—') },
      { key: 'touchId', head: m.touch, csv: (e) => e.touchId, cell: (e) => (e.touchId ? <code>{e.touchId}</code> : '—') },
      {
        key: 'text', head: m.body, wrap: true, csv: (e) => e.text,
        cell: (e) => (
          <>
            {e.channel === 'email' && e.html !== null && (
              <iframe class="mail" sandbox="" src={outboxFrameHref(e.id)} title={`${m.emailPreview}: ${e.subject ?? ''}`} loading="lazy" referrerpolicy="no-referrer" />
            )}
            {e.text !== null && <details><summary>{m.textBody}</summary><pre>{e.text}</pre></details>}
            {e.html !== null && <details><summary>{m.htmlBody}</summary><pre>{e.html}</pre></details>}
          </>
        ),
      },
      { key: 'html', head: m.htmlBody, csvOnly: true, csv: (e) => e.html },
    ],
  };
}

/** The dev outbox: the newest messages, filterable by channel. */
export function OutboxPage(props: { ctx: PageContext; entries: OutboxEntry[]; channels: string[]; channel: string | undefined }) {
  const { ctx, channel } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.outboxTitle}>
      <h1>{m.outboxTitle}</h1>
      <nav class="switcher" aria-label={m.channel}>
        <a href="/dashboard/outbox" aria-current={channel ? undefined : 'page'}>{m.allChannels}</a>
        {props.channels.map((ch) => (
          <a href={hrefWith('/dashboard/outbox', { channel: ch })} aria-current={ch === channel ? 'page' : undefined}>{ch}</a>
        ))}
      </nav>
      <p class="muted">{m.latest} · {m.outboxNote}</p>
      <DataTable ctx={ctx} spec={outboxSpec(ctx)} rows={props.entries} empty={m.noOutbox}
        csvHref={hrefWith('/dashboard/outbox.csv', { channel })} />
    </Layout>
  );
}
