/** True when `zone` is an IANA time zone name this runtime knows ('Europe/Moscow', 'Asia/Kamchatka', 'UTC'); abbreviations like 'MSK' are not. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/** The zone a contact's local times are in: its own when it is a known IANA zone, else `fallback` (the funnel's, usually). */
export function contactTimeZone<F extends string | null>(contactTimezone: string | null | undefined, fallback: F): string | F {
  return contactTimezone && isTimeZone(contactTimezone) ? contactTimezone : fallback;
}
