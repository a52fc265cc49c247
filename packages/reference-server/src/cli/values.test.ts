import { describe, expect, it } from "vitest";
import { integer, namedPath, nonEmpty, oneOf, origin, seconds, ValueError } from "./values.js";

const refusal = (parse: (text: string) => unknown, text: string) => {
  try {
    parse(text);
  } catch (error) {
    return error instanceof ValueError ? error.expected : `not a ValueError: ${error}`;
  }
  return "accepted";
};

describe("value parsers", () => {
  it("integer takes plain decimal integers in range only", () => {
    const port = integer(0, 65535);
    expect(port("0")).toBe(0);
    expect(port("65535")).toBe(65535);
    for (const text of ["70000", "-1", "", " 80", "8e3", "0x50", "80.5", "eighty"]) {
      expect(refusal(port, text), text).toBe("an integer from 0 to 65535");
    }
  });

  it("seconds gives milliseconds and refuses 0, negatives and junk", () => {
    const timeout = seconds(2_147_483);
    expect(timeout("30")).toBe(30_000);
    expect(timeout("0.25")).toBe(250);
    for (const text of ["0", "-3", "", "1e3", "3000000", "30s"]) {
      expect(refusal(timeout, text), text).toBe("a number of seconds above 0 and at most 2147483");
    }
  });

  it("oneOf takes only the choices", () => {
    const gpu = oneOf(["auto", "off"]);
    expect(gpu("off")).toBe("off");
    expect(refusal(gpu, "OFF")).toBe("one of auto, off");
  });

  it("nonEmpty refuses the empty string with its hint", () => {
    const key = nonEmpty("key", "auth would be off");
    expect(key("k")).toBe("k");
    expect(() => key("")).toThrow(expect.objectContaining({ expected: "a non-empty key", hint: "auth would be off" }));
  });

  it("origin takes * and bare origins, normalized", () => {
    expect(origin("*")).toBe("*");
    expect(origin("https://App.Example")).toBe("https://app.example");
    expect(origin("http://localhost:3000/")).toBe("http://localhost:3000");
    for (const text of ["app.example", "https://app.example/path", "", "file:///x", "https://a.example?q"]) {
      expect(refusal(origin, text), text).toMatch(/^an origin/);
    }
  });

  it("namedPath splits NAME=PATH at the first =, and says which part is missing", () => {
    expect(namedPath("sql=adapters/sql.gguf")).toEqual({ name: "sql", path: "adapters/sql.gguf" });
    expect(namedPath("a=dir=x/b.gguf")).toEqual({ name: "a", path: "dir=x/b.gguf" });
    const hint = (text: string) => {
      try {
        namedPath(text);
      } catch (error) {
        return (error as ValueError).hint;
      }
      return "accepted";
    };
    expect(hint("adapters/sql.gguf")).toBe("there is no = between the name and the path");
    expect(hint("=adapters/sql.gguf")).toBe("the name before = is empty");
    expect(hint("sql=")).toBe("the path after = is empty");
    expect(refusal(namedPath, "sql")).toBe("NAME=PATH, e.g. sql=adapters/sql-lora.gguf");
  });
});
