import { describe, expect, it } from "vitest";
import { type VsFigures, vsReport } from "./vs-llama-server.js";

const samples = (tokensPerSecond: number[], ttftMs = tokensPerSecond.map(() => 5)) => ({
  tokensPerSecond,
  ttftMs,
  completionTokens: tokensPerSecond.map(() => 256),
});

function figures(cases: VsFigures["cases"]): VsFigures {
  return {
    llamaServerTag: "b1",
    commandLines: { chatwire: "chatwire-server", llama: "llama-server" },
    rounds: 2,
    repeat: 1,
    tokens: 256,
    plainLength: 92,
    regime: "tiny",
    cases,
    bindingFloor: [1800, 2000],
  };
}

describe("vsReport", () => {
  it("shows ratios paired by round beside the issue's targets, and each feature's cost", () => {
    const report = vsReport(
      figures({
        "ignore-eos": {
          label: "one stream, `ignore_eos`",
          streams: 1,
          chatwire: samples([900, 1000], [6, 6]),
          llama: samples([1000, 1000], [5, 5]),
        },
        plain: { label: "plain", streams: 1, chatwire: samples([1000, 1000]), llama: samples([1000, 1000]) },
        stop: { label: "stop", streams: 1, chatwire: samples([970, 950]), llama: samples([1000, 1000]) },
        "streams-4": { label: "4 streams", streams: 4, chatwire: samples([900, 900]), llama: samples([1000, 1000]) },
      }),
    );
    expect(report).toMatch(
      /\| one stream, `ignore_eos`, 256 tokens +\| 950 \(900–1,000\) +\| 1,000 \(1,000–1,000\) +\| 0\.95 \(0\.90–1\.00\) +\| ≥ 0\.9: met/,
    );
    expect(report).toMatch(/4 streams, 256 tokens in all .*0\.90 \(0\.90–0\.90\) +\| ≥ 1\.0: not met/);
    expect(report).toMatch(
      /time to first token.*\| 6\.00 \(6\.00–6\.00\) +\| 5\.00 \(5\.00–5\.00\) +\| 1\.20 \(1\.20–1\.20\) \| ≤ 1\.2: met/,
    );
    expect(report).toMatch(
      /\| node-llama-cpp's floor: decode \+ sample alone, in process, 256 tokens +\| 1,900 \(1,800–2,000\) +\| 1,000 \(1,000–1,000\) +\| 1\.90 \(1\.80–2\.00\)/,
    );
    expect(report).toMatch(/\| stop string +\| 4\.0 \(3\.0–5\.0\) +\| 0\.0 \(0\.0–0\.0\) +\| ≤ 5 %: met/);
  });

  it("says n/a, with the server's reason, for a case a server refused", () => {
    const report = vsReport(
      figures({
        "json-schema": {
          label: "one stream, `json_schema` grammar",
          streams: 1,
          chatwire: samples([800]),
          llama: {
            ...samples([]),
            refused: 'HTTP 400: {"error":{"code":400,"message":"Failed to initialize samplers: std::exception"}}',
          },
        },
      }),
    );
    expect(report).toContain('n/a (400: "Failed to initialize samplers")');
    expect(report).toMatch(/json_schema` grammar, 256 tokens +\| 800 \(800–800\) +\| n\/a \(400.*\| n\/a +\|/);
  });
});
