/**
 * The clients that read the stream, each through its own public streaming API, as an application
 * would: `client.chat.completions.create({ model, messages, stream: true })`, then `for await`.
 */
import { Gradient } from "@chatwire/gradient";
import OpenAI from "openai";
import { MODEL } from "./chat-stream.js";

/** Called once per chunk the client yields, with the chunk's content delta (if any). */
type ChunkSink = (content: string | null | undefined) => void;

/** Reads one whole stream, handing every chunk to `sink`. */
export type StreamReader = (sink: ChunkSink) => Promise<void>;

export const CONTENDERS = ["chatwire strict", "chatwire off", "openai", "openai .stream()"] as const;
export type ContenderName = (typeof CONTENDERS)[number];

// Never sent anywhere: the fetch is injected. The URL only has to be well-formed.
const BASE_URL = "http://bench.invalid/v1";
const API_KEY = "bench-key";
const messages = [{ role: "user" as const, content: "Write something long." }];

/** One reader per contender, each with a client made once over `fetch`, as an application keeps one. */
export function streamReaders(fetchImpl: typeof fetch): Record<ContenderName, StreamReader> {
  const strict = new Gradient({ apiKey: API_KEY, baseURL: BASE_URL, fetch: fetchImpl, validation: "strict" });
  const off = new Gradient({ apiKey: API_KEY, baseURL: BASE_URL, fetch: fetchImpl, validation: "off" });
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: BASE_URL, fetch: fetchImpl });
  const readGradient =
    (client: Gradient): StreamReader =>
    async (sink) => {
      const stream = await client.chat.completions.create({ model: MODEL, messages, stream: true });
      for await (const chunk of stream) sink(chunk.choices[0]?.delta.content);
    };
  return {
    "chatwire strict": readGradient(strict),
    "chatwire off": readGradient(off),
    openai: async (sink) => {
      const stream = await openai.chat.completions.create({ model: MODEL, messages, stream: true });
      for await (const chunk of stream) sink(chunk.choices[0]?.delta.content);
    },
    // The openai helper that, like chatwire's Stream, builds the final completion as it reads.
    "openai .stream()": async (sink) => {
      const stream = openai.chat.completions.stream({ model: MODEL, messages });
      for await (const chunk of stream) sink(chunk.choices[0]?.delta.content);
    },
  };
}
