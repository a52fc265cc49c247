import { type Command, HELP, OPTIONS, type OptionSpec, VERSION } from "./options.js";
import { ValueError } from "./values.js";

/** A mistake in how the CLI was called: reported in one line, exit status 2. */
export class UsageError extends Error {}

export interface CommandLine {
  command: Command | "help" | "version";
  /** An option's value: the command line's, else its environment variable's, else its fallback. */
  get<T>(option: OptionSpec<T>): T | undefined;
  /** The same, for an option with a fallback. */
  value<T>(option: OptionSpec<T>): T;
  /** All values of a repeatable option. */
  all<T>(option: OptionSpec<T>): T[];
}

const COMMANDS: readonly Command[] = ["make-model"];

/**
 * Reads `argv` (the arguments after the script) and `env` against `options`. Options are
 * `--name value`, `--name=value` or a short spelling and its value (`-m PATH`, `-np 4`, as
 * llama-server spells them); a later value wins, except for repeatable options, which collect every
 * value. An option on the command line wins over its variable.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: readonly OptionSpec[] = OPTIONS,
): CommandLine {
  const bySpelling = new Map(options.flatMap((spec) => spec.flags.map((flag) => [flag, spec] as const)));
  const given = new Map<OptionSpec, { source: string; texts: string[] }>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const spec = bySpelling.get(flag);
    if (!spec) throw new UsageError(`unknown option ${flag}`);
    let text: string;
    if (!spec.placeholder) {
      if (equals !== -1) throw new UsageError(`${flag} takes no value`);
      text = "";
    } else if (equals !== -1) {
      text = arg.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || bySpelling.has(next.split("=")[0] as string))
        throw new UsageError(`${flag} needs a value (${spec.placeholder})`);
      text = next;
      i++;
    }
    const seen = given.get(spec);
    if (seen && spec.repeatable) seen.texts.push(text);
    else given.set(spec, { source: flag, texts: [text] });
  }

  const command = commandOf(positionals, given.has(HELP), given.has(VERSION));
  if (command === "help" || command === "version") return commandLine(command, new Map());
  for (const [spec, { source }] of given) {
    if (spec.command && spec.command !== command) {
      throw new UsageError(
        spec.command === "serve"
          ? `${source} does not apply to ${command}`
          : `${source} applies to ${spec.command} only`,
      );
    }
  }

  const values = new Map<OptionSpec, unknown[]>();
  for (const spec of options) {
    if (!spec.parse || spec.command !== command) continue;
    const fromArgs = given.get(spec);
    const variable = spec.env === undefined ? undefined : env[spec.env];
    const source = fromArgs?.source ?? spec.env ?? spec.flags[0];
    let texts = fromArgs?.texts;
    if (!texts && variable !== undefined)
      texts = spec.repeatable ? variable.split(",").map((part) => part.trim()) : [variable];
    if (!texts) continue;
    values.set(
      spec,
      texts.map((text) => parseValue(spec, text, source)),
    );
  }
  return commandLine(command, values);
}

function commandLine(command: CommandLine["command"], values: ReadonlyMap<OptionSpec, unknown[]>): CommandLine {
  const get = <T>(spec: OptionSpec<T>) => (values.get(spec)?.at(-1) as T | undefined) ?? spec.fallback;
  return {
    command,
    get,
    value: (spec) => {
      const value = get(spec);
      if (value === undefined) throw new Error(`${spec.flags[0]} has no value and no fallback`);
      return value;
    },
    all: <T>(spec: OptionSpec<T>) => (values.get(spec) ?? []) as T[],
  };
}

function commandOf(positionals: readonly string[], help: boolean, version: boolean): CommandLine["command"] {
  if (help) return "help";
  if (version) return "version";
  const [first, ...rest] = positionals;
  if (first === undefined) return "serve";
  if (!COMMANDS.includes(first as Command)) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  if (rest.length > 0) throw new UsageError(`${first} takes no arguments, got ${JSON.stringify(rest[0])}`);
  return first as Command;
}

function parseValue(spec: OptionSpec, text: string, source: string): unknown {
  try {
    return spec.parse?.(text);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    const name = source === spec.env ? `${source} (${spec.flags[0]})` : source;
    throw new UsageError(
      `${name} takes ${error.expected}, got ${JSON.stringify(text)}${error.hint ? `: ${error.hint}` : ""}`,
    );
  }
}
