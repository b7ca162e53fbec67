const DAY = 86_400_000;

interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock parts of an instant in a zone (weekday 1 = Monday … 7 = Sunday). */
export function localParts(ms: number, zone: string): LocalParts {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in ms. */
export function zoneOffset(ms: number, zone: string): number {
  const p = localParts(ms, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - (ms - (ms % 60_000));
}

/** The instant a local wall-clock time happens in a zone (the later one when a clock change repeats it). */
export function localToInstant(year: number, month: number, day: number, hour: number, minute: number, zone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall - zoneOffset(wall, zone);
  guess = wall - zoneOffset(guess, zone);
  return guess;
}

/**
 * The next instant at or after `now` (same minute counts as now) whose local time in `zone` is `time`
 * (HH:MM; midnight when omitted) on one of `weekdays` (1 = Monday; any day when omitted).
 */
export function nextLocalTime(now: number, zone: string, time?: string, weekdays?: number[]): number {
  const [hh, mm] = time ? time.split(':').map(Number) as [number, number] : [0, 0];
  const today = localParts(now, zone);
  const minuteStart = now - (now % 60_000);
  for (let d = 0; d <= 8; d++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day) + d * DAY);
    const weekday = ((date.getUTCDay() + 6) % 7) + 1;
    if (weekdays && !weekdays.includes(weekday)) continue;
    if (!time && d === 0) return now; // a matching weekday with no time of day: today is fine
    const at = localToInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hh, mm, zone);
    if (at >= minuteStart) return Math.max(at, now);
  }
  throw new Error(`no local time ${time ?? ''} on weekdays ${weekdays?.join(',') ?? 'any'} in ${zone} within 8 days`);
}
