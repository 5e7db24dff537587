// Dates as the screens show them. The relay sends Japan time (RFC 3339, +09:00), shown as written.

/** `2025-04-01T09:30:00+09:00` → `2025/04/01 09:30`. */
export function dateTime(rfc3339: string): string {
  return rfc3339.slice(0, 16).replace("T", " ").replaceAll("-", "/");
}

/** `2025-04-01…` → `2025/04/01`. */
export function date(text: string): string {
  return text.slice(0, 10).replaceAll("-", "/");
}

/** Whole days from `today` until the end of `day` (a date or RFC 3339): 0 on the day itself. */
export function daysUntil(day: string, today: Date): number {
  const [y, m, d] = day.slice(0, 10).split("-").map(Number);
  const end = Date.UTC(y, m - 1, d);
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((end - start) / 86_400_000);
}

/** Warnings start this many days before an expiry. */
export const EXPIRY_WARNING_DAYS = 30;

/** Today on the relay's calendar (Japan, UTC+9, no daylight saving), whatever the PC's time zone:
 * a period ending on the PC's date would miss what was sent after midnight in Japan. */
export function japanToday(now: Date = new Date()): Date {
  const japan = new Date(now.getTime() + 9 * 3600 * 1000);
  return new Date(japan.getUTCFullYear(), japan.getUTCMonth(), japan.getUTCDate());
}
