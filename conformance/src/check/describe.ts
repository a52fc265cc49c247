/** A value as it appears on the wire, shortened for a one-line message. */
export function shown(value: unknown, limit = 80): string {
  const text = value === undefined ? "absent" : JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Where a chunk is: `event 3 of the plain stream`. */
export function at(event: number, label: string): string {
  return `event ${event} of ${label}`;
}
