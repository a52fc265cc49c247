export {
  describeProviderContract,
  type EnvironmentCase,
  type ErrorShapeCase,
  type ProviderContract,
} from "./contract.js";
export { docSample } from "./doc-samples.js";
export { type MockAPI, type Reply, type SeenRequest, useMockAPI } from "./mock-api.js";
export { describePackageBasics } from "./package-basics.js";
export { markdownCodeBlocks, typecheckReadmeExamples } from "./readme-examples.js";
export { dataEvent, eventStreamResponse, type SSEResponseOptions, sseResponse, stallingEventStream } from "./sse.js";
