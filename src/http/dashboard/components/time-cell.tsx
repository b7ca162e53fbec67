import type { Formatters } from '../i18n';
import { isoInZone } from '../../../time/iso-in-zone';

export { isoInZone } from '../../../time/iso-in-zone';

/** A `<time>` showing the instant on a clock in `zone`, formatted for the page's language. */
export function TimeCell(props: { ms: number | null; zone: string; fmt: Formatters }) {
  if (props.ms === null) return <>—</>;
  return <time datetime={isoInZone(props.ms, props.zone)}>{props.fmt.dateTimeIn(props.ms, props.zone)}</time>;
}
