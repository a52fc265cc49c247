import { isObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { needChoices } from "../evidence.js";
import { TOOL_NAME } from "../probe-requests.js";
import { type ChoicePart, finishesOf } from "../stream-read.js";
import { fail, pass } from "../verdict.js";

interface AccumulatedCall {
  id: string;
  name: string;
  arguments: string;
}

/** The tool calls of choice 0, accumulated as clients do: pieces with one `index` are one call, their strings concatenated. */
function accumulateCalls(parts: readonly ChoicePart[]): AccumulatedCall[] {
  const calls = new Map<number, AccumulatedCall>();
  for (const part of parts) {
    const pieces = Array.isArray(part.delta.tool_calls) ? part.delta.tool_calls.filter(isObject) : [];
    for (const piece of pieces) {
      const index = typeof piece.index === "number" ? piece.index : 0;
      const call = calls.get(index) ?? { id: "", name: "", arguments: "" };
      const fn = isObject(piece.function) ? piece.function : {};
      if (typeof piece.id === "string") call.id += piece.id;
      if (typeof fn.name === "string") call.name += fn.name;
      if (typeof fn.arguments === "string") call.arguments += fn.arguments;
      calls.set(index, call);
    }
  }
  return [...calls.values()];
}

/** A forced function call, streamed. */
export const toolChecks: Check[] = [
  {
    id: "tools.call-accumulates",
    severity: "required",
    impact: specRule(
      "ToolCallDelta: pieces with one `index` are one call, `arguments` concatenated; a forced `tool_choice` (NamedToolChoice) names the function called",
    ),
    needs: "a choice in the forced tool call stream",
    rationale:
      "Clients rebuild a streamed tool call by concatenating its pieces; the result must name the function and carry JSON arguments.",
    async run(probes) {
      const stream = await probes.stream("toolStream");
      const calls = accumulateCalls(needChoices(stream).get(0) ?? []);
      const expected = `a tool call of \`${TOOL_NAME}\` with an id and arguments that parse as a JSON object in ${stream.label}`;
      const call = calls[0];
      if (!call) return fail(expected, "no tool_calls deltas for choice 0");
      if (call.name !== TOOL_NAME) return fail(expected, `a call of ${shown(call.name)}`);
      if (call.id === "") return fail(expected, "a call without an id");
      let parsed: unknown;
      try {
        parsed = JSON.parse(call.arguments);
      } catch (error) {
        return fail(expected, `arguments ${shown(call.arguments)}, which do not parse: ${(error as Error).message}`);
      }
      if (!isObject(parsed)) return fail(expected, `arguments ${shown(call.arguments)}, which are not an object`);
      return pass();
    },
  },
  {
    id: "tools.finish-reason",
    severity: "required",
    impact: specRule('FinishReason: `tool_calls` when "the model called a tool"'),
    needs: "a choice in the forced tool call stream",
    rationale: 'Clients run the tools only when the choice ends with `finish_reason: "tool_calls"`.',
    async run(probes) {
      const stream = await probes.stream("toolStream");
      const reasons = finishesOf(needChoices(stream).get(0) ?? []).map((finish) => finish.reason);
      if (reasons.length > 0 && reasons.every((reason) => reason === "tool_calls")) return pass();
      return fail(
        `finish_reason "tool_calls" for the forced call in ${stream.label}`,
        reasons.length === 0
          ? "no finish_reason"
          : `finish_reason ${reasons.map((reason) => shown(reason)).join(", ")}`,
      );
    },
  },
];
