/**
 * Dates as exports write them, read as the calendar day the targets take (`YYYY-MM-DD`, clarify.md F11):
 * ISO with or without a time (`2026-06-30`, `2026-06-30 09:14`, `2026-06-30T09:14:00.000Z`), US
 * `6/30/2026`, and European `30.06.2026`. Anything else, or a day that does not exist, is undefined.
 */
export function isoDate(text: string): string | undefined {
  const value = text.trim();
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      value,
    );
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$/i.exec(value);
  const eu = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(value);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : us
      ? [us[3], us[1], us[2]]
      : eu
        ? [eu[3], eu[2], eu[1]]
        : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}
