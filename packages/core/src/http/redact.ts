/**
 * Keys shorter than this are not searched for in what the server sent: real provider keys are
 * tens of characters, and a short test key such as "wrong" is also a word the server's own
 * message may use ("Missing or wrong API key"), which redacting would corrupt.
 */
const MIN_REDACTED_KEY_LENGTH = 8;

const REDACTED = "[redacted]";

/** Replaces the API key in text that came from outside chatwire: bodies, headers, URLs, events. */
export type Redactor = (text: string) => string;

export function keyRedactor(apiKey: string | undefined): Redactor {
  if (apiKey === undefined || apiKey.length < MIN_REDACTED_KEY_LENGTH) return (text) => text;
  return (text) => (text.includes(apiKey) ? text.split(apiKey).join(REDACTED) : text);
}

/** The headers with the key replaced in every value; the same object when no value carries it. */
export function redactHeaders(headers: Headers, redact: Redactor): Headers {
  let copy: Headers | undefined;
  for (const [name, value] of headers) {
    const clean = redact(value);
    if (clean !== value) {
      copy ??= new Headers(headers);
      copy.set(name, clean);
    }
  }
  return copy ?? headers;
}
