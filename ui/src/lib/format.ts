// Display formats: yen without decimals (¥1,234,567), JST calendar dates (2026/11/24).

const yen = new Intl.NumberFormat("ja-JP", { maximumFractionDigits: 0 });

/** ¥1,234,567; negatives as -¥1,234. Amounts are integer yen. */
export function formatYen(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  return `${sign}¥${yen.format(Math.abs(amount))}`;
}

/** A signed amount for a history row: +¥250,000 / -¥3,000. */
export function formatSignedYen(amount: number): string {
  return amount > 0 ? `+${formatYen(amount)}` : formatYen(amount);
}

const jstParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parts(instant: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of jstParts.formatToParts(instant)) out[p.type] = p.value;
  return out;
}

/** An instant (ISO string) as its JST date: 2026/11/24. */
export function formatDateJst(instant: string | Date): string {
  const p = parts(typeof instant === "string" ? new Date(instant) : instant);
  return `${p.year}/${p.month}/${p.day}`;
}

/** An instant as JST date and time: 2026/11/24 10:15. */
export function formatDateTimeJst(instant: string | Date): string {
  const p = parts(typeof instant === "string" ? new Date(instant) : instant);
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
}

/** A calendar date "YYYY-MM-DD" (already JST) as 2026/11/24. */
export function formatCalendarDate(date: string): string {
  return date.replaceAll("-", "/");
}

/** Whole days from `now` until `instant` (negative when past), counted in JST calendar days. */
export function daysUntil(instant: string, now: Date): number {
  const day = (d: Date) => {
    const p = parts(d);
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
  };
  return Math.round((day(new Date(instant)) - day(now)) / 86_400_000);
}

/** The JST calendar date of `now`: "2026-11-24". */
export function jstDate(now: Date): string {
  const p = parts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * A date typed by a person (2026/11/24, 2026-11-24, 2026/1/5, 20261124, or the same in
 * full-width digits from a Japanese IME) as "YYYY-MM-DD"; `null` for an empty field and
 * `undefined` for text that is not a real date.
 */
export function parseDateInput(text: string): string | null | undefined {
  const s = text.normalize("NFKC").trim();
  if (s === "") return null;
  const m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
