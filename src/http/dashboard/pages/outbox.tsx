import { Layout, type PageContext } from '../layout';
import { funnelHref } from '../stats-tables';

/** One stored email with the ledger row it belongs to. */
export interface OutboxEntry {
  id: string;
  createdAt: number;
  recipient: string;
  subject: string | null;
  text: string | null;
  html: string | null;
  touchId: string;
  funnelId: string;
}

/** The dev outbox; bodies are shown as escaped source, never rendered. */
export function OutboxPage(props: { ctx: PageContext; entries: OutboxEntry[] }) {
  const { ctx } = props;
  const { m, fmt } = ctx;
  return (
    <Layout ctx={ctx} title={m.outboxTitle}>
      <h1>{m.outboxTitle}</h1>
      <p class="muted">{m.latest}</p>
      {props.entries.length === 0 ? (
        <p class="muted">{m.noOutbox}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr><th>{m.time}</th><th>{m.recipient}</th><th>{m.subject}</th><th>{m.touch}</th><th>{m.body}</th></tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr data-outbox={e.id}>
                  <td><time datetime={new Date(e.createdAt).toISOString()}>{fmt.dateTime(e.createdAt)}</time></td>
                  <td>{e.recipient}</td>
                  <td class="wrap">{e.subject ?? '—'}</td>
                  <td><a href={funnelHref(e.funnelId)}>{e.funnelId}</a> / <code>{e.touchId}</code></td>
                  <td class="wrap">
                    {e.text !== null && <details><summary>{m.textBody}</summary><pre>{e.text}</pre></details>}
                    {e.html !== null && <details><summary>{m.htmlBody}</summary><pre>{e.html}</pre></details>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
