/** Turns an option's text into its value; throws a `ValueError` saying what the option takes. */
export type ValueParser<T> = (text: string) => T;

export class ValueError extends Error {
  constructor(
    /** What the option takes, e.g. "an integer from 0 to 65535". */
    readonly expected: string,
    /** Said after the value, e.g. why an empty value is refused. */
    readonly hint?: string,
  ) {
    super(`takes ${expected}`);
  }
}

/** A decimal integer in `min..max`; no signs, exponents, hex or blanks. */
export function integer(min: number, max: number): ValueParser<number> {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) throw new ValueError(`an integer from ${min} to ${max}`);
    return value;
  };
}

/** Seconds above 0 and at most `max`, decimals allowed, as milliseconds. */
export function seconds(max: number): ValueParser<number> {
  return (text) => {
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(value > 0 && value <= max)) throw new ValueError(`a number of seconds above 0 and at most ${max}`);
    return Math.round(value * 1000);
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): ValueParser<T> {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) throw new ValueError(`one of ${choices.join(", ")}`);
    return text as T;
  };
}

/** Any text but the empty string (an unset shell variable expands to one). */
export function nonEmpty(what: string, hint?: string): ValueParser<string> {
  return (text) => {
    if (text === "") throw new ValueError(`a non-empty ${what}`, hint);
    return text;
  };
}

/** `*`, or a web origin (scheme, host and port, nothing more), normalized as browsers send it. */
export const origin: ValueParser<string> = (text) => {
  if (text === "*") return text;
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {}
  const normalized = parsed && parsed.origin !== "null" ? parsed.origin : undefined;
  if (!normalized || normalized.toLowerCase() !== text.replace(/\/$/, "").toLowerCase()) {
    throw new ValueError("an origin such as https://app.example or http://localhost:3000 (no path), or *");
  }
  return normalized;
};

/** `NAME=PATH`, split at the first `=` (a path may hold more); neither part may be empty. */
export const namedPath: ValueParser<{ name: string; path: string }> = (text) => {
  const expected = "NAME=PATH, e.g. sql=adapters/sql-lora.gguf";
  const equals = text.indexOf("=");
  if (equals === -1) throw new ValueError(expected, "there is no = between the name and the path");
  const name = text.slice(0, equals);
  const path = text.slice(equals + 1);
  if (name === "") throw new ValueError(expected, "the name before = is empty");
  if (path === "") throw new ValueError(expected, "the path after = is empty");
  return { name, path };
};
