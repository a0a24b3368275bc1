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
