import { describe, expect, it } from "vitest";
import { loadFixtures } from "../fixture.js";
import { serveFixturesCommand } from "./serve-command.js";

describe("serve-fixtures", () => {
  it("writes the server's URL, then each case's id and base URL, one line each", async () => {
    const fixtures = loadFixtures().filter((fixture) => fixture.name === "completion-basic");
    const lines: string[] = [];
    const served = await serveFixturesCommand({ fixtures, write: (line) => lines.push(line) });
    try {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0] ?? "")?.[1];
      expect(lines[0]).toMatch(/^Serving 3 fixtures at http:\/\/127\.0\.0\.1:\d+ /);
      expect(lines.slice(1)).toEqual(
        fixtures.map((fixture) =>
          expect.stringMatching(
            new RegExp(`^${fixture.dialect}/completion-basic +${url}/${fixture.dialect}/completion-basic$`),
          ),
        ),
      );
      const index = (await (await fetch(`${url}/`)).json()) as { cases: unknown[] };
      expect(index.cases).toHaveLength(3);
    } finally {
      await served.close();
    }
  });

  it("refuses to serve no fixtures, saying why there may be none", async () => {
    await expect(serveFixturesCommand({ fixtures: [], write: () => undefined })).rejects.toThrow(
      /no fixtures to serve: the fixtures folder holds none, or none of the dialect asked for/,
    );
  });
});
