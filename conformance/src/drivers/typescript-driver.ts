import { parseJsonOrText } from "@chatwire/core/internal";
import type { Fixture } from "../fixture.js";
import { fixtureResponse } from "../replay/fixture-response.js";
import { describeDifference, requestFieldDifferences } from "../replay/request-match.js";
import { callSDK } from "../replay/sdk-drivers.js";
import { caseId } from "../serve/case-address.js";
import { errorBody } from "../serve/json-answers.js";
import type { CaseMessage, Driver, ResultMessage } from "./protocol.js";
import { requestMismatchMessage } from "./request-mismatch.js";

/** The name `--driver typescript` and the report give the chatwire TypeScript SDKs. */
export const TYPESCRIPT_DRIVER_NAME = "typescript";

export interface TypeScriptDriverOptions {
  /**
   * Fixtures to serve in process: a case with one of their ids is answered through the SDK's own
   * `fetch`, without a socket (faster than the fixture server, and nothing patches the global
   * fetch). Other cases go to their `base_url` over the network.
   */
  fixtures?: readonly Fixture[];
}

/** The chatwire TypeScript SDKs (`@chatwire/gradient`, `@chatwire/octoai`, `@chatwire/predictionguard`) as a driver. */
export function createTypeScriptDriver(options: TypeScriptDriverOptions = {}): Driver {
  const byId = new Map((options.fixtures ?? []).map((fixture) => [caseId(fixture), fixture]));
  return {
    name: TYPESCRIPT_DRIVER_NAME,
    async run(message: CaseMessage): Promise<ResultMessage> {
      const fixture = byId.get(message.id);
      const outcome = await callSDK(message.dialect, message.request, {
        baseURL: message.base_url,
        apiKey: message.api_key,
        fetch: fixture && inProcessFetch(fixture, message),
      });
      return { type: "result", id: message.id, ...outcome };
    },
    async close() {},
  };
}

/**
 * A fetch that answers as the fixture server does: the recorded response, at the recorded pace, to
 * the one request the fixture records; a 400 saying what differed to any other (a second one too:
 * retries are off).
 */
function inProcessFetch(fixture: Fixture, message: CaseMessage): typeof fetch {
  const basePath = new URL(message.base_url).pathname.replace(/\/+$/, "");
  let requests = 0;
  return async (input, init) => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const text = await request.text();
    requests += 1;
    const pathname = new URL(request.url).pathname;
    const path = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    const differences =
      requests > 1
        ? [`request ${requests} for this case, where the fixture records one (retries must be off)`]
        : requestFieldDifferences(
            fixture,
            { method: request.method, path, body: parseJsonOrText(text) },
            message.optional_fields ?? [],
          ).map((difference) => describeDifference(difference));
    if (differences.length > 0) {
      const body = errorBody({
        status: 400,
        code: "request_mismatch",
        message: requestMismatchMessage(message.id, differences),
        dialect: fixture.dialect,
      });
      return new Response(JSON.stringify(body), { status: 400, headers: { "content-type": "application/json" } });
    }
    return fixtureResponse(fixture, request.signal);
  };
}
