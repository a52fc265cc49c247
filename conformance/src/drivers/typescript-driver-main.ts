#!/usr/bin/env node
/**
 * The chatwire TypeScript SDKs as a driver program, over real HTTP: `replay --driver "node
 * <this file>"` replays through the fixture server as a driver of any other language would. (`replay`
 * itself drives them in process, which is faster.)
 */
import { createInterface } from "node:readline";
import type { CaseMessage, HelloMessage } from "./protocol.js";
import { createTypeScriptDriver } from "./typescript-driver.js";

const hello: HelloMessage = {
  type: "hello",
  driver: "typescript over HTTP",
  language: `Node.js ${process.versions.node}`,
  sdk: "@chatwire/gradient, @chatwire/octoai, @chatwire/predictionguard",
};
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

say(hello);
const driver = createTypeScriptDriver();
// One case at a time, in order: the runner sends the next only after this one's result.
for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line) as CaseMessage;
  say(await driver.run(message));
}
