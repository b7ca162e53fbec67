import { Layout, type PageContext } from '../layout';
import type { ContactCard } from '../data/contact-data';
import type { TimelineEntry } from '../data/timeline-data';
import { DataTable } from '../components/data-table';
import { consentLogSpec, consentSpec, enrollmentSpec, timelineSpec } from '../components/contact-tables';
import { contactHref } from '../query';
import { Journey } from '../components/staff-tables';
import { LogTouchForm } from '../components/log-touch-form';

/**
 * A contact's card (identity, channels, consents with their proof, enrollments), the journey across all funnels, the
 * "log a touch" form, and the whole timeline in its own zone.
 */
export function ContactPage(props: {
  ctx: PageContext; card: ContactCard; zone: string; timeline: TimelineEntry[]; canErase?: boolean;
  /** The outcome of the last "log a touch" (after its redirect). */
  notice?: { ok: boolean; text: string } | undefined;
}) {
  const { ctx, card, zone } = props;
  const { m } = ctx;
  const c = card.contact;
  const base = contactHref(c.id);
  const title = c.name ?? c.email ?? c.phone ?? c.id;
  return (
    <Layout ctx={ctx} title={`${m.contactTitle}: ${title}`}>
      <p><a href="/dashboard/contacts">← {m.contacts}</a></p>
      <h1>{title}{c.test === 1 && <span class="badge test" data-test-contact="yes">{m.testContact}</span>}</h1>
      <dl class="card-list" data-contact-card={c.id}>
        <dt>{m.id}</dt><dd><code>{c.id}</code></dd>
        <dt>{m.personName}</dt><dd>{c.name ?? '—'}</dd>
        <dt>{m.email}</dt><dd>{c.email ?? '—'}</dd>
        <dt>{m.phone}</dt><dd>{c.phone ?? '—'}</dd>
        <dt>{m.telegram}</dt><dd data-telegram={c.telegram_chat_id !== null ? 'bound' : 'unbound'}>{c.telegram_chat_id !== null ? m.telegramBound : m.telegramNotBound}</dd>
        <dt>{m.timezone}</dt><dd>{c.timezone ?? `— (${zone})`}</dd>
        <dt>{m.testContact}</dt><dd data-test={c.test === 1 ? 'yes' : 'no'}>{c.test === 1 ? m.yes : m.no}</dd>
        {c.external_id !== null && <><dt>{m.externalId}</dt><dd><code>{c.external_id}</code></dd></>}
      </dl>
      <h2>{m.consents}</h2>
      <DataTable ctx={ctx} spec={consentSpec(ctx, zone)} rows={card.consents} csvHref={`${base}/consents.csv`} empty={m.noConsents} />
      {card.consentLog.length > 0 && (
        <>
          <h3>{m.consentHistory}</h3>
          <DataTable ctx={ctx} spec={consentLogSpec(ctx, zone)} rows={card.consentLog} csvHref={`${base}/consent-log.csv`} />
        </>
      )}
      <h2>{m.enrollments}</h2>
      <DataTable ctx={ctx} spec={enrollmentSpec(ctx, zone)} rows={card.enrollments} csvHref={`${base}/enrollments.csv`} empty={m.noEnrollments} />
      <h2>{m.journeyTitle}</h2>
      <Journey ctx={ctx} timeline={props.timeline} zone={zone} />
      <h2>{m.logTouchTitle}</h2>
      {props.notice && <p class={props.notice.ok ? 'notice' : 'error'} role="status" data-touch-logged={props.notice.ok ? 'yes' : 'no'}>{props.notice.text}</p>}
      <LogTouchForm ctx={ctx} contactId={c.id} zone={zone} funnels={[...new Set(card.enrollments.map((e) => e.funnel_id))].sort()} />
      <h2>{m.timeline}</h2>
      <p class="muted" data-zone={zone}>{m.timesIn}: {zone}</p>
      <DataTable ctx={ctx} id="timeline" spec={timelineSpec(ctx, zone)} rows={props.timeline} csvHref={`${base}/timeline.csv`} empty={m.noTimeline} />
      {props.canErase && <p><a href={`${base}/erase`} data-erase-link={c.id}>{m.eraseAction}</a></p>}
    </Layout>
  );
}
