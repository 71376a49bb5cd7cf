/**
 * The URL as a web link, or null when it is anything else: a tracking URL comes from a webhook payload
 * or a carrier, is shown as a link, and must never be a script (javascript:, data:, ...).
 */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
