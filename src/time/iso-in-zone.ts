import { zoneOffset } from './local-time';

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as ISO 8601 with the offset `zone` has then ("2025-01-15T19:00:00+10:00"): what a clock there shows. */
export function isoInZone(ms: number, zone: string): string {
  const offset = zoneOffset(ms, zone);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const mins = Math.round(Math.abs(offset) / 60_000);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(mins / 60))}:${pad(mins % 60)}`;
}
