import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { describeListenError } from "./listen-error.js";

/** The error a real listen gives. */
function listenError(port: number, host: string): Promise<Error> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", resolve);
    try {
      server.listen(port, host, () => server.close(() => resolve(new Error("listened"))));
    } catch (error) {
      resolve(error as Error);
    }
  });
}

describe("describeListenError", () => {
  it("says the address is in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await listenError(port, "127.0.0.1");
      expect(describeListenError(error, "127.0.0.1", port)).toBe(
        `cannot listen on 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      taken.close();
    }
  });

  it("says a port is out of range and brackets IPv6 hosts", async () => {
    const error = await listenError(70000, "::1");
    expect(describeListenError(error, "::1", 70000)).toBe("cannot listen on [::1]:70000: port out of range 0..65535");
  });

  it("says an unknown host is not found, and keeps the code of errors it has no words for", () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND no.such.host.invalid"), { code: "ENOTFOUND" });
    expect(describeListenError(notFound, "no.such.host.invalid", 8080)).toBe(
      "cannot listen on no.such.host.invalid:8080: host not found",
    );
    const odd = Object.assign(new Error("listen EPERM: operation not permitted\n    at x"), { code: "EPERM" });
    expect(describeListenError(odd, "h", 1)).toBe(
      "cannot listen on h:1: EPERM (listen EPERM: operation not permitted)",
    );
  });
});
