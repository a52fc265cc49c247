import type { ServerResponse } from "node:http";
import {
  type ChatCompletion,
  type Choice,
  type DialectId,
  dialects,
  type OctoAIChatCompletion,
  type PromptLogprobs,
  type Usage,
} from "@chatwire/core";
import type { ChoiceEvent } from "../engine/run-choices.js";
import { sendJSON } from "../http/send-json.js";
import { ChoiceAssembler } from "./choice-assembler.js";
import { type ChoiceUpdate, ChunkWriter, type ResponseIdentity } from "./chunk-writer.js";
import { promptLogprobsFirst } from "./prompt-logprobs-first.js";
import { SSEWriter } from "./sse-writer.js";
import { splitArguments } from "./tool-call.js";

/** One request's choices on their way to the client. */
export interface ChoiceRun {
  dialect: DialectId;
  identity: ResponseIdentity;
  events: AsyncIterable<ChoiceEvent>;
  n: number;
  promptTokens: number;
  /** Choice 0 scores the prompt (OctoAI's `loglikelihood`): its scores go out once, for all choices. */
  promptLogprobs: boolean;
  /** The choices were forced to call a tool: their text is a JSON call, answered as `tool_calls`. */
  toolCall: boolean;
  includeUsage: boolean;
  response: ServerResponse;
  sendTimeoutMs: number;
  signal: AbortSignal;
}

function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** Streams the choices as the dialect's chunks; returns the completion tokens sent. */
export async function streamChoices(run: ChoiceRun): Promise<number> {
  const chunks = new ChunkWriter(run.dialect, run.identity, run.includeUsage);
  const writer = new SSEWriter(run.response, run.sendTimeoutMs);
  const choices = new ChoiceAssembler(run.n, run.toolCall, false);
  const roleSent = new Array<boolean>(run.n).fill(false);
  // The prompt's scores, until the chunk that carries them (the stream's first) is written.
  let promptLogprobs: PromptLogprobs | undefined;
  const send = async (update: ChoiceUpdate, usage?: Usage) => {
    if (!roleSent[update.index]) {
      roleSent[update.index] = true;
      update.role = "assistant";
      if (update.content === undefined && !update.tool_calls) update.content = "";
    }
    await writer.event(chunks.chunk(update, usage, promptLogprobs));
    promptLogprobs = undefined;
  };
  // The events end early when the client leaves (mergeChoices watches the signal).
  for await (const event of run.promptLogprobs ? promptLogprobsFirst(run.events) : run.events) {
    if (event.kind === "piece" && event.piece.promptLogprobs) promptLogprobs = event.piece.promptLogprobs;
    const finished = choices.take(event);
    if (event.kind === "piece") {
      // A forced tool call is sent whole when it is complete: its arguments are only known then.
      if (!run.toolCall) {
        const { text, logprobs } = event.piece;
        await send({ index: event.index, content: text, ...(logprobs.length > 0 && { logprobs }) });
      }
      continue;
    }
    if (!finished) continue;
    const { index, toolCall, text } = finished;
    if (toolCall) {
      const { id, type, function: call } = toolCall;
      await send({
        index,
        content: null,
        tool_calls: [{ index: 0, id, type, function: { name: call.name, arguments: "" } }],
      });
      for (const piece of splitArguments(call.arguments))
        await send({ index, tool_calls: [{ index: 0, function: { arguments: piece } }] });
    } else if (run.toolCall) {
      await send({ index, content: text });
    }
    const usage =
      choices.allFinished && chunks.usageOnLastChoiceChunk
        ? usageOf(run.promptTokens, choices.completionTokens)
        : undefined;
    await send({ index, finish_reason: finished.finishReason, generated_text: text }, usage);
  }
  if (run.signal.aborted) return choices.completionTokens;
  const usageChunk = chunks.usageChunk(usageOf(run.promptTokens, choices.completionTokens));
  if (usageChunk) await writer.event(usageChunk);
  await writer.done();
  return choices.completionTokens;
}

/** Answers the choices as one completion; returns the completion tokens sent. */
export async function collectChoices(run: ChoiceRun): Promise<number> {
  const keepLogprobs = dialects[run.dialect].completion_logprobs;
  const choices = new ChoiceAssembler(run.n, run.toolCall, keepLogprobs);
  const answers: Choice[] = [];
  let promptLogprobs: PromptLogprobs | undefined;
  for await (const event of run.events) {
    if (event.kind === "piece" && event.piece.promptLogprobs) promptLogprobs = event.piece.promptLogprobs;
    const finished = choices.take(event);
    if (!finished) continue;
    const { index, text, logprobs, toolCall, finishReason } = finished;
    answers[index] = toolCall
      ? {
          index,
          message: { role: "assistant", content: null, tool_calls: [toolCall] },
          logprobs: null,
          finish_reason: finishReason,
        }
      : {
          index,
          message: { role: "assistant", content: text },
          logprobs: logprobs.length > 0 ? { content: logprobs } : null,
          finish_reason: finishReason,
        };
  }
  if (!choices.allFinished) return 0;
  const completion: ChatCompletion = {
    ...run.identity,
    object: "chat.completion",
    choices: answers,
    usage: usageOf(run.promptTokens, choices.completionTokens),
  };
  // Once for all choices, at the top level, as vLLM places it (only OctoAI's completion has it).
  if (promptLogprobs) (completion as OctoAIChatCompletion).prompt_logprobs = promptLogprobs;
  sendJSON(run.response, 200, completion);
  return choices.completionTokens;
}
