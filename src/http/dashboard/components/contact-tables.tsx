import type { ConsentLogRow, ConsentRow, ContactRow, EnrollmentRow } from '../../../db/schema';
import { labelOf, type I18n } from '../i18n';
import { reasonLabel } from '../reason-labels';
import { contactHref, funnelHref } from '../query';
import type { TimelineEntry } from '../data/timeline-data';
import type { TableSpec } from './data-table';
import { isoInZone, TimeCell } from './time-cell';

const funnelCell = (id: string | null) => (id ? <a href={funnelHref(id)}>{id}</a> : '—');

/** Search results: each contact linking to its timeline. */
export function contactListSpec({ m }: I18n): TableSpec<ContactRow> {
  return {
    rowAttrs: (c) => ({ 'data-contact': c.id }),
    columns: [
      { key: 'id', head: m.id, csv: (c) => c.id, cell: (c) => <a href={contactHref(c.id)}><code>{c.id}</code></a> },
      { key: 'name', head: m.personName, csv: (c) => c.name, cell: (c) => <>{c.name ?? ''}{c.test === 1 && <span class="badge test" data-test-contact="yes">{m.testContact}</span>}</> },
      { key: 'email', head: m.email, csv: (c) => c.email },
      { key: 'phone', head: m.phone, csv: (c) => c.phone },
      { key: 'telegramBound', head: m.telegram, csv: (c) => c.telegram_chat_id !== null, cell: (c) => (c.telegram_chat_id !== null ? m.telegramBound : m.telegramNotBound) },
      { key: 'timezone', head: m.timezone, csv: (c) => c.timezone },
      { key: 'externalId', head: m.externalId, csv: (c) => c.external_id },
      { key: 'test', head: m.testContact, csv: (c) => c.test === 1, cell: (c) => (c.test === 1 ? m.yes : m.no) },
    ],
  };
}

/** Current consent per channel, with where and when it was given or withdrawn (times in `zone`). */
export function consentSpec({ m, fmt }: I18n, zone: string): TableSpec<ConsentRow> {
  return {
    rowAttrs: (c) => ({ 'data-consent': c.channel }),
    columns: [
      { key: 'channel', head: m.channel, csv: (c) => c.channel },
      { key: 'granted', head: m.status, csv: (c) => c.granted === 1, cell: (c) => (c.granted === 1 ? m.granted : m.revoked) },
      { key: 'source', head: m.source, csv: (c) => c.source },
      { key: 'at', head: m.time, csv: (c) => isoInZone(Number(c.updated_at), zone), cell: (c) => <TimeCell ms={Number(c.updated_at)} zone={zone} fmt={fmt} /> },
    ],
  };
}

/** Every consent change: channel, given or withdrawn, source, IP and the exact wording shown. */
export function consentLogSpec({ m, fmt }: I18n, zone: string): TableSpec<ConsentLogRow> {
  return {
    columns: [
      { key: 'at', head: m.time, csv: (c) => isoInZone(Number(c.at), zone), cell: (c) => <TimeCell ms={Number(c.at)} zone={zone} fmt={fmt} /> },
      { key: 'channel', head: m.channel, csv: (c) => c.channel },
      { key: 'granted', head: m.status, csv: (c) => c.granted === 1, cell: (c) => (c.granted === 1 ? m.granted : m.revoked) },
      { key: 'source', head: m.source, csv: (c) => c.source },
      { key: 'ip', head: m.ip, csv: (c) => c.ip },
      { key: 'wording', head: m.wording, wrap: true, csv: (c) => c.wording },
    ],
  };
}

/** The contact's enrollments: funnel, status, when it entered and left, why it left, where it is now. */
export function enrollmentSpec({ m, fmt }: I18n, zone: string): TableSpec<EnrollmentRow> {
  const at = (ms: number | null) => <TimeCell ms={ms === null ? null : Number(ms)} zone={zone} fmt={fmt} />;
  const iso = (ms: number | null) => (ms === null ? null : isoInZone(Number(ms), zone));
  return {
    rowAttrs: (e) => ({ 'data-enrollment': e.id }),
    columns: [
      { key: 'funnelId', head: m.funnel, csv: (e) => e.funnel_id, cell: (e) => funnelCell(e.funnel_id) },
      { key: 'id', head: m.id, csv: (e) => e.id, cell: (e) => <code>{e.id}</code> },
      { key: 'version', head: m.version, csv: (e) => e.version, cell: (e) => <code>{e.version.slice(0, 12)}</code> },
      { key: 'status', head: m.status, csv: (e) => e.status, cell: (e) => labelOf(m, 'st_', e.status) },
      { key: 'enrolledAt', head: m.enrolledAt, csv: (e) => iso(e.enrolled_at), cell: (e) => at(e.enrolled_at) },
      { key: 'finishedAt', head: m.finishedAt, csv: (e) => iso(e.finished_at), cell: (e) => at(e.finished_at) },
      { key: 'exitReason', head: m.exitReason, csv: (e) => e.exit_reason },
      { key: 'currentStep', head: m.currentStep, csv: (e) => e.current_step },
    ],
  };
}

/** The merged timeline, times on the contact's clock; reasons in words, deferrals with the time they wait for. */
export function timelineSpec({ m, fmt, lang }: I18n, zone: string): TableSpec<TimelineEntry> {
  return {
    rowAttrs: (t) => ({ 'data-kind': t.kind, class: `tl-${t.kind}` }),
    columns: [
      { key: 'at', head: m.time, csv: (t) => isoInZone(t.at, zone), cell: (t) => <TimeCell ms={t.at} zone={zone} fmt={fmt} /> },
      { key: 'kind', head: m.what, csv: (t) => t.kind, cell: (t) => labelOf(m, 'ev_', t.kind) },
      { key: 'funnelId', head: m.funnel, csv: (t) => t.funnelId, cell: (t) => funnelCell(t.funnelId) },
      { key: 'touchId', head: m.touch, csv: (t) => t.touchId, cell: (t) => (t.touchId ? <code>{t.touchId}</code> : '') },
      { key: 'channel', head: m.channel, csv: (t) => t.channel },
      { key: 'status', head: m.status, csv: (t) => t.status, cell: (t) => (t.status ? labelOf(m, 'st_', t.status) : '') },
      {
        key: 'reason', head: m.reason, wrap: true, csv: (t) => t.reason,
        cell: (t) => (
          <>
            {reasonLabel(lang, t.reason)}
            {t.until !== null && <> · {m.until} <TimeCell ms={t.until} zone={zone} fmt={fmt} /></>}
          </>
        ),
      },
      { key: 'until', head: m.until, csvOnly: true, csv: (t) => (t.until === null ? null : isoInZone(t.until, zone)) },
      { key: 'value', head: m.value, num: true, csv: (t) => t.value, cell: (t) => (t.value === null ? '' : fmt.money(t.value)) },
      { key: 'details', head: m.details, wrap: true, csv: (t) => t.details },
    ],
  };
}
