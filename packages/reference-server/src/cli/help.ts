import { OPTIONS, type OptionSpec } from "./options.js";

/** The `--help` text: usage, one line per option (meaning, default, variable), then notes. */
export function helpText(options: readonly OptionSpec[] = OPTIONS): string {
  const left = (spec: OptionSpec) => `${spec.flags.join(", ")}${spec.placeholder ? ` ${spec.placeholder}` : ""}`;
  const width = Math.max(...options.map((spec) => left(spec).length));
  const line = (spec: OptionSpec) => {
    const facts = [
      spec.shownDefault && `default: ${spec.shownDefault}`,
      spec.env && `env: ${spec.env}${spec.repeatable ? "=A,B" : ""}`,
    ].filter(Boolean);
    return `  ${left(spec).padEnd(width)}  ${spec.meaning}${facts.length > 0 ? ` (${facts.join("; ")})` : ""}`;
  };
  const aliases = options.filter((spec) => spec.placeholder).flatMap((spec) => spec.flags.slice(1));
  return [
    "Usage: chatwire-server [options]",
    "       chatwire-server make-model [--size tiny|bench] [--out DIR] [--adapter]",
    "",
    "Options:",
    ...options.map(line),
    "",
    "Notes:",
    "  Each option with a variable can be set from the environment instead; the command line wins over it.",
    "  A repeatable option's variable takes a comma-separated list, e.g. CHATWIRE_LORA=sql=a.gguf,chat=b.gguf.",
    "  Prefer CHATWIRE_API_KEY to --api-key: the environment keeps the key out of ps and shell history.",
    `  llama-server's spellings are aliases: ${aliases.join(", ")}; --host and --port are spelled the same.`,
    "  Log lines start with an ISO timestamp and a level; info goes to stdout, warnings and errors to stderr.",
    "  Limits: request bodies up to 1 MiB; up to 64 requests wait for a sequence, then 429.",
    "  OctoAI's fields: peft names a --lora adapter (unknown: 404), loglikelihood returns prompt_logprobs,",
    "  log_prompt is accepted and has no effect (the server stores no prompt).",
    "  Exit status: 0 after SIGINT or SIGTERM, 1 when the model, a --lora adapter or the address fails, 2 on a usage error.",
    "",
  ].join("\n");
}
