/**
 * The driver protocol (driver-protocol.schema.json): the lines `replay` exchanges with a driver of
 * any language. The TypeScript drivers take the same messages in process.
 */
import type { DialectId } from "@chatwire/core";
import type { ErrorKind, StreamErrorKind } from "../fixture.js";

/** Driver to runner, optional and first: who the driver is. */
export interface HelloMessage {
  type: "hello";
  driver: string;
  language?: string;
  sdk?: string;
  /** The dialects it speaks; absent: all. */
  dialects?: DialectId[];
}

/** Runner to driver: one SDK call to make. */
export interface CaseMessage {
  type: "case";
  /** `<dialect>/<fixture name>`. */
  id: string;
  dialect: DialectId;
  /** As the chatwire SDKs take a base URL: the dialect's chat path is appended. */
  base_url: string;
  api_key: string;
  stream: boolean;
  /** The request body, wire field names. */
  request: Record<string, unknown>;
  /** Top-level request fields an SDK may leave out. */
  optional_fields?: string[];
  timeout_ms: number;
}

/** An error as any language's SDK maps its own: the README's kind table. */
export interface ProtocolError {
  kind: ErrorKind | null;
  stream_error_kind?: StreamErrorKind;
  status?: number;
  message: string;
  retry_after_ms?: number;
  /** The class or type name in the SDK's language. */
  class?: string;
  /** The class and every class above it. */
  classes?: string[];
}

/** Driver to runner: what the SDK made of one case. */
export interface ResultMessage {
  type: "result";
  id: string;
  chunks?: Record<string, unknown>[];
  completion?: Record<string, unknown>;
  error?: ProtocolError;
  /** Why the SDK cannot make the call at all. */
  skipped?: string;
}

/** A driver as the runner sees it, in process or a child process: one case in, one result out. */
export interface Driver {
  /** The name the report gives its suite. */
  readonly name: string;
  /** The dialects it speaks; undefined: all. */
  readonly dialects?: readonly DialectId[] | undefined;
  /**
   * Set once the driver cannot be used at all (it never answered a case, and crashed on every one
   * tried): the runner sends it no more cases and reports its suite unusable with this reason.
   */
  readonly unusable?: string | undefined;
  run(message: CaseMessage): Promise<ResultMessage>;
  close(): Promise<void>;
}
