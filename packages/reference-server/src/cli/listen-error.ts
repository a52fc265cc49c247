/** Why a listen failed, in words, for the errors an address or port gives. */
const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "address not available on this machine",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EAI_FAIL: "host name lookup failed",
  ERR_SOCKET_BAD_PORT: "port out of range 0..65535",
};

/** `cannot listen on 127.0.0.1:8080: address already in use`: one line, no stack. */
export function describeListenError(error: unknown, host: string, port: number): string {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  const firstLine = String(message ?? error).split("\n")[0];
  const reason = (code && REASONS[code]) ?? (code ? `${code} (${firstLine})` : firstLine);
  const address = host.includes(":") ? `[${host}]` : host;
  return `cannot listen on ${address}:${port}: ${reason}`;
}
