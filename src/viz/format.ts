/** Small text helpers shared by tables, figures, notebooks and the report. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "4.2 s" under a minute, else "1 min 15 s"; "–" for null. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * Words for a number with no finite value, so that a reader never meets `NaN` or
 * `Infinity`: NaN is "undefined", +Infinity "unbounded", -Infinity "unbounded below";
 * `why` (e.g. "all points equal") follows after a colon.
 */
export function nonFiniteText(v: number, why?: string): string {
  const word = Number.isNaN(v) ? 'undefined' : v > 0 ? 'unbounded' : 'unbounded below';
  return why ? `${word}: ${why}` : word;
}

/**
 * `v` with `digits` after the point; a value that rounds to zero has no minus sign
 * ("0.000", not "-0.000"), and a non-finite one is said in words ({@link nonFiniteText}).
 */
export function formatFixed(v: number, digits: number, why?: string): string {
  if (!Number.isFinite(v)) return nonFiniteText(v, why);
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * An interval "lo to hi", its ends written with `digits` after the point (or by a
 * function, e.g. `(v) => Math.round(v).toLocaleString('en-US')`), or words where it has
 * no finite ends: "interval undefined" (NaN, e.g. no residual degrees of freedom),
 * "interval unbounded" (both ends infinite, e.g. a target the band never reaches),
 * "lo or more (unbounded above)" (only the upper end infinite).
 */
export function formatInterval(lo: number, hi: number, digits: number | ((v: number) => string), separator = ' to '): string {
  const end = typeof digits === 'number' ? (v: number) => formatFixed(v, digits) : digits;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return 'interval undefined';
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) return 'interval unbounded';
  if (!Number.isFinite(hi)) return `${end(lo)} or more (unbounded above)`;
  if (!Number.isFinite(lo)) return `up to ${end(hi)} (unbounded below)`;
  return `${end(lo)}${separator}${end(hi)}`;
}

/** A count of pairs for people: thousands separated; 'fewer than 1', 'no interval' (NaN) or 'not within 10^15' (Infinity, as `dataForTarget` gives). */
export function formatPairs(x: number): string {
  if (Number.isNaN(x)) return 'no interval';
  if (!Number.isFinite(x)) return 'not within 10^15';
  return x < 1 ? 'fewer than 1' : Math.round(x).toLocaleString('en-US');
}
