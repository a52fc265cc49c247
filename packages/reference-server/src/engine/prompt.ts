import type { Token } from "node-llama-cpp";

/** A chat message reduced to what a chat template renders. */
export interface TemplateMessage {
  role: string;
  content: string;
}

export interface PromptModel {
  render(messages: readonly TemplateMessage[]): string;
  tokenize(text: string, specialTokens: boolean): Token[];
  /** Text of every token that special-token parsing turns into a control token. */
  specialTexts: readonly string[];
}

/** Tokenizing pauses for the event loop after about this many characters. */
const SLICE_CHARACTERS = 16 * 1024;
// Private-use characters: no template marker contains them, and `trim` keeps them.
const OPEN = "\uE000";
const CLOSE = "\uE001";

/**
 * Tokenizes a chat prompt so that only the template's own markers become control tokens: text
 * typed into a message that spells a control token (`<|im_end|>`) stays text. Long prompts are
 * tokenized in slices, with a turn of the event loop between them.
 */
export async function tokenizePrompt(model: PromptModel, messages: readonly TemplateMessage[]): Promise<Token[]> {
  const special = specialPattern(model.specialTexts);
  const spans = textSpans(model, messages, special);
  const tokens: Token[] = [];
  let sinceYield = 0;
  for (const span of spans) {
    for (const slice of span.asText ? [span.text] : slicesAfterSpecials(span.text, special)) {
      for (const token of model.tokenize(slice, !span.asText)) tokens.push(token);
      sinceYield += slice.length;
      if (sinceYield >= SLICE_CHARACTERS) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  return tokens;
}

interface Span {
  text: string;
  /** Tokenized without special-token parsing. */
  asText: boolean;
}

/**
 * The rendered prompt as spans. Where no message spells a control token, that is the whole
 * prompt as one span, tokenized exactly as the template meant. Otherwise the template is rendered
 * around placeholders, so each control-token spelling inside a message is known to be text.
 */
function textSpans(model: PromptModel, messages: readonly TemplateMessage[], special: RegExp | undefined): Span[] {
  if (!special || !messages.some((message) => special.test(message.content))) {
    return [{ text: model.render(messages), asText: false }];
  }
  // Leading and trailing white space stays outside the placeholder, so a template's `trim` still removes it.
  const cores = messages.map((message) => message.content.trim());
  const placeholders = messages.map((message, index) => {
    const lead = message.content.slice(0, message.content.length - message.content.trimStart().length);
    const trail = message.content.slice(message.content.trimEnd().length);
    return { role: message.role, content: `${lead}${OPEN}${index}${CLOSE}${trail}` };
  });
  const rendered = model.render(placeholders);
  const spans: Span[] = [];
  let template = "";
  let next = 0;
  const parts = rendered.split(new RegExp(`${OPEN}(\\d+)${CLOSE}`));
  for (let at = 0; at < parts.length; at++) {
    const part = parts[at] as string;
    if (at % 2 === 0) {
      template += part;
      continue;
    }
    const index = Number(part);
    if (index !== next) throw new TemplateAltersContentError();
    next += 1;
    // Text between control-token spellings joins the template text around it, as it would unsplit.
    const core = cores[index] as string;
    let from = 0;
    for (const match of core.matchAll(new RegExp(special.source, "g"))) {
      template += core.slice(from, match.index);
      spans.push({ text: template, asText: false }, { text: match[0], asText: true });
      template = "";
      from = match.index + match[0].length;
    }
    template += core.slice(from);
  }
  if (next !== messages.length) throw new TemplateAltersContentError();
  spans.push({ text: template, asText: false });
  return spans.filter((span) => span.text !== "");
}

/** The model's chat template does something with message text other than placing it. */
export class TemplateAltersContentError extends Error {
  override name = "TemplateAltersContentError";
  constructor() {
    super(
      "This model's chat template changes message text, so text that spells a control token cannot be kept apart from the template's own; remove the control-token text from the messages.",
    );
  }
}

/** Cuts right after control tokens, where tokenizing in pieces gives the same tokens as at once. */
function slicesAfterSpecials(text: string, special: RegExp | undefined): string[] {
  if (text.length <= SLICE_CHARACTERS || !special) return [text];
  const slices: string[] = [];
  let start = 0;
  for (const match of text.matchAll(new RegExp(special.source, "g"))) {
    const end = match.index + match[0].length;
    if (end - start >= SLICE_CHARACTERS) {
      slices.push(text.slice(start, end));
      start = end;
    }
  }
  slices.push(text.slice(start));
  return slices;
}

function specialPattern(texts: readonly string[]): RegExp | undefined {
  const usable = texts.filter((text) => text.length > 0).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return undefined;
  return new RegExp(usable.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
}
