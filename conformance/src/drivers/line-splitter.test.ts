import { describe, expect, it } from "vitest";
import { BoundedTail, LineSplitter } from "./line-splitter.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("LineSplitter", () => {
  it("joins a line written in pieces, drops the CR of a CRLF, and keeps a character cut between writes", () => {
    const lines = new LineSplitter(1024);
    const euro = bytes("€");
    expect(lines.push(Buffer.concat([bytes('{"a":'), euro.subarray(0, 1)]))).toEqual([]);
    expect(lines.push(Buffer.concat([euro.subarray(1), bytes('}\r\n{"b":2}\n{"c"')]))).toEqual([
      { kind: "line", text: '{"a":€}' },
      { kind: "line", text: '{"b":2}' },
    ]);
    expect(lines.push(bytes(":3}\n"))).toEqual([{ kind: "line", text: '{"c":3}' }]);
  });

  it("reports a line past the limit once, drops it to its newline, and reads the next", () => {
    const lines = new LineSplitter(8);
    expect(lines.push(bytes("0123456"))).toEqual([]);
    expect(lines.push(bytes("789abc"))).toEqual([{ kind: "overlong", bytes: 13 }]);
    expect(lines.push(bytes("more and more"))).toEqual([]);
    expect(lines.push(bytes("\nok\n"))).toEqual([{ kind: "line", text: "ok" }]);
  });
});

describe("BoundedTail", () => {
  it("keeps only the last bytes, and quotes the last characters of them", () => {
    const tail = new BoundedTail(10);
    tail.push(bytes("first line\n"));
    tail.push(bytes("second\n"));
    expect(tail.text()).toBe("ne\nsecond");
    expect(tail.text(3)).toBe("…ond");
  });
});
