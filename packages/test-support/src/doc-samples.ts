import { loadExamples } from "@chatwire/spec/examples";

let corpus: Map<string, unknown> | undefined;

/**
 * A valid document of the spec's example corpus, by name: the samples shaped on the providers'
 * documentation pages (each entry's `source` names the page). A fresh copy every call.
 */
export function docSample<T>(name: string): T {
  corpus ??= new Map(loadExamples().flatMap((example) => (example.valid ? [[example.name, example.document]] : [])));
  if (!corpus.has(name)) throw new Error(`No valid example named "${name}" in spec/examples.`);
  return structuredClone(corpus.get(name)) as T;
}
