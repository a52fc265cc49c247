export {
  createSSEParser,
  DEFAULT_MAX_EVENT_SIZE,
  type ServerSentEvent,
  type SSEParser,
  type SSEParserOptions,
} from "./parser.js";
export { iterateServerSentEvents, ServerSentEventStream, type ServerSentEventStreamOptions } from "./stream.js";
