import * as util from "node:util";

export type Style = "green" | "red" | "yellow" | "dim" | "bold";

/** Wraps text in one style, or returns it untouched when colour is off. */
export type Paint = (style: Style, text: string) => string;

// Open/close pairs as util.inspect.colors has them; only used where node:util has no styleText (Node < 20.12).
const ansiCodes: Record<Style, readonly [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
};

// A namespace import, because a named import of an export that the running Node lacks fails at link time.
const styleText = typeof util.styleText === "function" ? util.styleText : undefined;

function paintWithAnsi(style: Style, text: string): string {
  const [open, close] = ansiCodes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

function paintWithStyleText(style: Style, text: string): string {
  // The caller has already decided on colour. Newer styleText otherwise checks process.stdout itself and
  // strips the codes whenever stdout is not a TTY, even when the report goes to a TTY stderr or FORCE_COLOR is set.
  return (styleText as NonNullable<typeof styleText>)(style, text, { validateStream: false });
}

export function createPaint(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return styleText ? paintWithStyleText : paintWithAnsi;
}

/**
 * Whether to colour output written to `stream`: FORCE_COLOR wins (its `0`/`false` turns colour off, as in Node),
 * then a non-empty NO_COLOR (https://no-color.org) or TERM=dumb turns it off, and otherwise only a TTY gets colour.
 */
export function shouldUseColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}
