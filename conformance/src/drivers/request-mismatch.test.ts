import { describe, expect, it } from "vitest";
import { requestMismatchIn, requestMismatchMessage } from "./request-mismatch.js";

describe("requestMismatchIn", () => {
  it("reads the differences out of an SDK's error quoting the case's 400, whatever surrounds them", () => {
    const said = requestMismatchMessage("gradient/stream-basic", [
      'path: expected "/v1/chat/completions", got "/chat/completions"',
      "body.seed: expected 7, got nothing (the field is missing)",
    ]);
    const message = `POST http://127.0.0.1:5/gradient/stream-basic/chat/completions failed with 400: ${said} Give the SDK the base URL http://127.0.0.1:5/gradient/stream-basic: the dialect's chat path is appended to it. GET http://127.0.0.1:5/ shows each case's request. Fix the request as the message says.`;
    const mismatch = requestMismatchIn({
      error: { kind: "bad_request", status: 400, message, class: "BadRequestError" },
    });
    expect(mismatch).toMatchObject({
      expected: "the request the fixture records",
      got: expect.stringMatching(/^a different request, which the case's server refused with 400/),
      diff: 'path: expected "/v1/chat/completions", got "/chat/completions"\nbody.seed: expected 7, got nothing (the field is missing)',
    });
  });

  it("leaves other errors to the comparison", () => {
    expect(requestMismatchIn({ error: { kind: "bad_request", status: 400, message: "temperature is invalid" } })).toBe(
      undefined,
    );
    expect(requestMismatchIn({})).toBeUndefined();
  });
});
