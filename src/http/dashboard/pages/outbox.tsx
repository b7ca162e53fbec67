import { Layout, type PageContext } from '../layout';
import type { I18n } from '../i18n';
import type { OutboxEntry } from '../data/outbox-data';
import { DataTable, type TableSpec } from '../components/data-table';
import { contactHref, funnelHref, hrefWith } from '../query';

/** Stored messages of every channel; bodies are shown as escaped source, never rendered; recipients link to the contact. */
export function outboxSpec({ m, fmt }: I18n): TableSpec<OutboxEntry> {
  return {
    rowAttrs: (e) => ({ 'data-outbox': e.id }),
    columns: [
      {
        key: 'createdAt', head: m.time, csv: (e) => new Date(e.createdAt).toISOString(),
        cell: (e) => <time datetime={new Date(e.createdAt).toISOString()}>{fmt.dateTime(e.createdAt)}</time>,
      },
      { key: 'channel', head: m.channel, csv: (e) => e.channel },
      { key: 'recipient', head: m.recipient, csv: (e) => e.recipient },
      { key: 'contactId', head: m.contact, csv: (e) => e.contactId, cell: (e) => <a href={contactHref(e.contactId)}><code>{e.contactId}</code></a> },
      { key: 'subject', head: m.subject, wrap: true, csv: (e) => e.subject, cell: (e) => e.subject ?? '—' },
      { key: 'funnelId', head: m.funnel, csv: (e) => e.funnelId, cell: (e) => <a href={funnelHref(e.funnelId)}>{e.funnelId}</a> },
      { key: 'touchId', head: m.touch, csv: (e) => e.touchId, cell: (e) => <code>{e.touchId}</code> },
      {
        key: 'text', head: m.body, wrap: true, csv: (e) => e.text,
        cell: (e) => (
          <>
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
      <p class="muted">{m.latest}</p>
      <DataTable ctx={ctx} spec={outboxSpec(ctx)} rows={props.entries} empty={m.noOutbox}
        csvHref={hrefWith('/dashboard/outbox.csv', { channel })} />
    </Layout>
  );
}
