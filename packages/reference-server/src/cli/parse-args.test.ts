import { describe, expect, it } from "vitest";
import {
  ALLOW_ORIGIN,
  API_KEY,
  CONTEXT,
  DIALECT,
  HOST,
  MODEL,
  OUT,
  PARALLEL,
  PORT,
  SEND_TIMEOUT,
  SIZE,
  THREADS,
} from "./options.js";
import { parseCommandLine, UsageError } from "./parse-args.js";

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommandLine(argv, env);
const usageError = (argv: string[], env: Record<string, string> = {}) => {
  try {
    parse(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
};

describe("parseCommandLine", () => {
  it("serves with the defaults when nothing is given", () => {
    const line = parse([]);
    expect(line.command).toBe("serve");
    expect([line.get(PORT), line.get(HOST), line.get(THREADS), line.get(PARALLEL), line.get(CONTEXT)]).toEqual([
      8080,
      "127.0.0.1",
      1,
      8,
      4096,
    ]);
    expect([line.get(MODEL), line.get(API_KEY), line.get(SEND_TIMEOUT), line.all(ALLOW_ORIGIN)]).toEqual([
      undefined,
      undefined,
      30_000,
      [],
    ]);
  });

  it("takes llama-server's spellings as aliases", () => {
    const line = parse(["-m", "a.gguf", "-c", "256", "-t", "3", "-np", "2", "--host", "0.0.0.0", "--port", "9"]);
    expect([
      line.get(MODEL),
      line.get(CONTEXT),
      line.get(THREADS),
      line.get(PARALLEL),
      line.get(HOST),
      line.get(PORT),
    ]).toEqual(["a.gguf", 256, 3, 2, "0.0.0.0", 9]);
    expect(parse(["--ctx-size", "512"]).get(CONTEXT)).toBe(512);
    expect(parse(["--ctx-size=512", "--parallel=3"]).get(PARALLEL)).toBe(3);
  });

  it("reads every option from its CHATWIRE_ variable", () => {
    const line = parse([], {
      CHATWIRE_MODEL: "m.gguf",
      CHATWIRE_PORT: "9000",
      CHATWIRE_HOST: "::1",
      CHATWIRE_DIALECT: "octoai",
      CHATWIRE_THREADS: "2",
      CHATWIRE_PARALLEL: "3",
      CHATWIRE_CONTEXT: "128",
      CHATWIRE_API_KEY: "secret",
      CHATWIRE_SEND_TIMEOUT: "1.5",
      CHATWIRE_ALLOW_ORIGIN: "https://a.example, https://b.example",
    });
    expect(line.get(MODEL)).toBe("m.gguf");
    expect([line.get(PORT), line.get(HOST), line.get(DIALECT), line.get(THREADS)]).toEqual([9000, "::1", "octoai", 2]);
    expect([line.get(PARALLEL), line.get(CONTEXT), line.get(API_KEY), line.get(SEND_TIMEOUT)]).toEqual([
      3,
      128,
      "secret",
      1500,
    ]);
    expect(line.all(ALLOW_ORIGIN)).toEqual(["https://a.example", "https://b.example"]);
    expect(parse(["make-model"], { CHATWIRE_OUT: "/tmp/x" }).get(OUT)).toBe("/tmp/x");
    expect(parse(["make-model"]).value(SIZE)).toBe("tiny");
    expect(parse(["make-model", "--size", "bench"]).value(SIZE)).toBe("bench");
    expect(parse(["make-model"], { CHATWIRE_SIZE: "bench" }).value(SIZE)).toBe("bench");
  });

  it("lets the command line win over the environment, and a later value over an earlier one", () => {
    const env = { CHATWIRE_PORT: "9000", CHATWIRE_ALLOW_ORIGIN: "https://env.example" };
    const line = parse(["--port", "1", "--port", "2", "--allow-origin", "*", "--allow-origin=http://x.example"], env);
    expect(line.get(PORT)).toBe(2);
    expect(line.all(ALLOW_ORIGIN)).toEqual(["*", "http://x.example"]);
  });

  it("refuses an empty API key from either source, and any bad value, naming where it came from", () => {
    expect(usageError(["--api-key", ""])).toMatch(
      /^--api-key takes a non-empty key, got "": an empty key would turn auth off/,
    );
    expect(usageError(["--api-key="])).toMatch(/^--api-key takes a non-empty key/);
    expect(usageError([], { CHATWIRE_API_KEY: "" })).toMatch(/^CHATWIRE_API_KEY \(--api-key\) takes a non-empty key/);
    expect(usageError(["--port", "70000"])).toBe('--port takes an integer from 0 to 65535, got "70000"');
    expect(usageError([], { CHATWIRE_SEND_TIMEOUT: "0" })).toMatch(
      /^CHATWIRE_SEND_TIMEOUT \(--send-timeout\) takes a number/,
    );
    expect(usageError(["-np", "0"])).toBe('-np takes an integer from 1 to 1024, got "0"');
    expect(usageError(["--context", "10"])).toMatch(/^--context takes an integer from 64 to/);
    expect(usageError(["--allow-origin", "https://a.example/app"])).toMatch(/^--allow-origin takes an origin/);
    expect(usageError(["--gpu", "metal"])).toBe('--gpu takes one of auto, cuda, vulkan, off, got "metal"');
  });

  it("refuses unknown options, missing values and misplaced options in one line", () => {
    expect(usageError(["--bogus"])).toBe("unknown option --bogus");
    expect(usageError(["-x", "1"])).toBe("unknown option -x");
    expect(usageError(["--port"])).toBe("--port needs a value (N)");
    expect(usageError(["--model", "--port", "8"])).toBe("--model needs a value (PATH)");
    expect(usageError(["--help=yes"])).toBe("--help takes no value");
    expect(usageError(["serve"])).toBe('unknown command "serve"');
    expect(usageError(["make-model", "extra"])).toBe('make-model takes no arguments, got "extra"');
    expect(usageError(["--out", "d"])).toBe("--out applies to make-model only");
    expect(usageError(["--size", "bench"])).toBe("--size applies to make-model only");
    expect(usageError(["make-model", "--size", "huge"])).toBe('--size takes one of tiny, bench, got "huge"');
    expect(usageError(["make-model", "--port", "1"])).toBe("--port does not apply to make-model");
  });

  it("answers --help and --version before checking values", () => {
    expect(parse(["--port", "70000", "--help"]).command).toBe("help");
    expect(parse(["-h"]).command).toBe("help");
    expect(parse(["--version"], { CHATWIRE_API_KEY: "" }).command).toBe("version");
  });

  it("treats everything after -- as arguments", () => {
    expect(usageError(["--", "--port"])).toBe('unknown command "--port"');
  });
});
