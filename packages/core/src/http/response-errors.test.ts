import { describe, expect, it } from "vitest";
import { APIError, NotFoundError } from "../errors.js";
import { errorFields, errorFromResponse } from "./response-errors.js";

describe("errorFields", () => {
  it.each([
    [
      "the OpenAI shape",
      { error: { message: "m", type: "invalid_request_error", param: "model", code: "model_not_found" } },
      { code: "model_not_found", param: "model", type: "invalid_request_error" },
    ],
    [
      "a numeric code and a null param",
      { error: { message: "m", type: "rate_limit_error", param: null, code: 429 } },
      { code: 429, param: null, type: "rate_limit_error" },
    ],
    [
      "a top-level shape (OctoAI's ErrorResponse, vLLM's)",
      { object: "error", message: "m", type: "server_error", param: null, code: null },
      { code: null, param: null, type: "server_error" },
    ],
    ["Prediction Guard's string error", { error: "required fields are missing" }, {}],
    ["FastAPI's detail", { detail: [{ loc: ["body", "model"], msg: "field required", type: "missing" }] }, {}],
    ["an error that is null", { error: null, type: "ignored" }, {}],
    ["an array", [{ type: "t" }], {}],
    ["text", "Bad Gateway", {}],
  ])("reads %s", (_, body, expected) => {
    // toEqual: a field the body lacks is undefined, and null stays apart from undefined.
    expect(errorFields(body)).toEqual(expected);
  });

  it("leaves out a value of a type the field cannot have, instead of converting it", () => {
    expect(errorFields({ error: { message: "m", type: 7, param: ["model"], code: { id: 1 } } })).toStrictEqual({
      code: undefined,
      param: undefined,
      type: undefined,
    });
  });
});

describe("errorFromResponse", () => {
  it("puts the body's code, param and type on the error, with requestID as requestId", () => {
    const rawBody = JSON.stringify({ error: { message: "No such model.", type: "invalid_request_error", code: 404 } });
    const error = errorFromResponse({
      method: "POST",
      url: "https://api.example.test/v1/chat/completions",
      response: new Response(rawBody, { status: 404, headers: { "x-request-id": "req-9" } }),
      rawBody,
      retries: 0,
      keyHint: "the apiKey option",
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 404, type: "invalid_request_error", requestId: "req-9" });
    expect(error.param).toBeUndefined();
    expect(error.requestID).toBe("req-9");
  });

  it("leaves them undefined on an error made without them", () => {
    const error = new APIError("no answer");
    expect([error.code, error.param, error.type, error.requestID]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
