import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { CaseMessage, Driver, HelloMessage } from "./protocol.js";

export interface SpeakProtocolOptions {
  hello?: HelloMessage;
  input?: Readable;
  output?: Writable;
}

/**
 * Makes a program of a `Driver`: prints the hello, then answers each case line on stdin with the
 * driver's result line on stdout, one at a time, until stdin ends. The chatwire TypeScript SDKs
 * over real HTTP are `speakDriverProtocol(createTypeScriptDriver())`.
 */
export async function speakDriverProtocol(driver: Driver, options: SpeakProtocolOptions = {}): Promise<void> {
  const output = options.output ?? process.stdout;
  const say = (message: object) => output.write(`${JSON.stringify(message)}\n`);
  if (options.hello) say(options.hello);
  // One case at a time, in order: the runner sends the next only after this one's result.
  for await (const line of createInterface({ input: options.input ?? process.stdin })) {
    say(await driver.run(JSON.parse(line) as CaseMessage));
  }
  await driver.close();
}
