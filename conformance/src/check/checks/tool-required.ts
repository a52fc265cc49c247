import { isObject } from "../../json.js";
import { type Check, specRule } from "../check.js";
import { shown } from "../describe.js";
import { extraProbes } from "../probes-extra.js";
import { fail, pass } from "../verdict.js";

/** `tool_choice: "required"`: some tool must be called. */
export const toolRequiredCheck: Check = {
  id: "tools.required-call",
  severity: "required",
  impact: specRule(
    '`tool_choice` `"required"` in spec/chat-completions.schema.json: the model must call one or more tools',
  ),
  needs: 'a successful JSON reply to the `tool_choice: "required"` request',
  rationale:
    'With `tool_choice: "required"` the caller waits for a tool call; a text answer leaves its tool loop with nothing to run.',
  async run(probes) {
    const reply = await extraProbes(probes).toolRequiredResponse();
    const choices = Array.isArray(reply.body.choices) ? reply.body.choices.filter(isObject) : [];
    const choice = choices.find((candidate) => candidate.index === 0);
    const message = isObject(choice?.message) ? choice.message : {};
    const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
    const expected = `at least one tool call and finish_reason "tool_calls" in ${reply.label}`;
    if (calls.length === 0) return fail(expected, `no tool_calls; content ${shown(message.content)}`);
    if (choice?.finish_reason !== "tool_calls") return fail(expected, `finish_reason ${shown(choice?.finish_reason)}`);
    return pass();
  },
};
