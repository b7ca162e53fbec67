import { zoneOffset } from '../../../time/local-time';
import type { Formatters } from '../i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as ISO 8601 with the offset `zone` has then ("2025-01-15T19:00:00+10:00"), for CSV files. */
export function isoInZone(ms: number, zone: string): string {
  const offset = zoneOffset(ms, zone);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const mins = Math.round(Math.abs(offset) / 60_000);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(mins / 60))}:${pad(mins % 60)}`;
}

/** A `<time>` showing the instant on a clock in `zone`, formatted for the page's language. */
export function TimeCell(props: { ms: number | null; zone: string; fmt: Formatters }) {
  if (props.ms === null) return <>—</>;
  return <time datetime={isoInZone(props.ms, props.zone)}>{props.fmt.dateTimeIn(props.ms, props.zone)}</time>;
}
