import type { Fixture } from "../fixture.js";

/** `<dialect>/<name>`: the case's id in the driver protocol and in reports. */
export function caseId(fixture: Pick<Fixture, "dialect" | "name">): string {
  return `${fixture.dialect}/${fixture.name}`;
}

/** Where a case is served under the server's root: `/<dialect>/<name>`, its recorded path after it. */
export function casePrefix(fixture: Pick<Fixture, "dialect" | "name">): string {
  return `/${caseId(fixture)}`;
}

/** How cases are addressed, for answers to a request that names none. */
export const ADDRESSING_HELP =
  "A case is addressed as /<dialect>/<case name> followed by its recorded request path, e.g. POST /gradient/completion-basic/v1/chat/completions; use /<dialect>/<case name> as the SDK's base URL. GET / lists every case with its base URL.";

/** A request path split into the case it names and the rest, the path relative to the case's base. */
export interface CaseAddress {
  id: string;
  rest: string;
}

/** The case a path names (its first two segments), or undefined when it has fewer than two. */
export function parseCaseAddress(pathname: string): CaseAddress | undefined {
  const match = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  return { id: `${match[1]}/${match[2]}`, rest: match[3] ?? "" };
}
