/** True when `zone` is an IANA time zone name this runtime knows ('Europe/Moscow', 'Asia/Kamchatka', 'UTC'); abbreviations like 'MSK' are not. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}
