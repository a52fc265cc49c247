import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/** A request as the mock API saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

export type Reply = (request: Request, body: unknown, seen: readonly SeenRequest[]) => Response | Promise<Response>;

// One server per test file however many suites use it: two msw servers would both intercept
// every request.
const server = setupServer();
let users = 0;

/**
 * A mock provider API for the enclosing suite: `mockAPI.reply(fn)` answers every POST to `url`,
 * every request is recorded in `mockAPI.requests`, and anything not handled fails the test.
 */
export function useMockAPI(url: string) {
  const requests: SeenRequest[] = [];
  beforeAll(() => {
    if (users++ === 0) server.listen({ onUnhandledRequest: "error" });
  });
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => {
    if (--users === 0) server.close();
  });

  return {
    requests,
    reply(answer: Reply): void {
      server.use(
        http.post(url, async ({ request }) => {
          const text = await request.clone().text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Keep the raw text: a test may send something that is not JSON on purpose.
          }
          requests.push({ method: request.method, url: request.url, headers: request.headers, body });
          return answer(request, body, requests);
        }),
      );
    },
    json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): void {
      this.reply(() => HttpResponse.json(body as Record<string, unknown>, init));
    },
  };
}

export type MockAPI = ReturnType<typeof useMockAPI>;
