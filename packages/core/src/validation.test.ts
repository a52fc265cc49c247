import { describe, expect, it } from "vitest";
import { ValidationError } from "./errors.js";
import { loadSpecSchema } from "./spec-schemas.js";
import { checkAgainstSpec } from "./validation.js";

const silent = { warn: () => {} };

describe("checkAgainstSpec", () => {
  it("names each problem once, though a provider request checks the base request and its extension", async () => {
    const schema = await loadSpecSchema("OctoAIChatCompletionRequest");
    const request = { model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 0, temperature: 9 };
    const error = (() => {
      try {
        checkAgainstSpec(schema, request, "The OctoAI chat request", "strict", silent, "Nothing was sent.");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message.match(/\$\.max_tokens:/g)).toHaveLength(1);
    expect(message.match(/\$\.temperature:/g)).toHaveLength(1);
    expect((error as ValidationError).issues).toHaveLength(2);
  });
});
