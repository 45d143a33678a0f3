/** metav1.Time as JSON: RFC 3339 with whole seconds, UTC ("2024-01-02T03:04:05Z"). */
export function metaTime(d: Date = new Date()): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
