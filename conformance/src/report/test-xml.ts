import { SaxesParser } from "saxes";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses with saxes, a strict XML 1.0 parser: unlike lenient parsers it rejects a raw `<` in an attribute, a
 * bare `&`, and characters XML cannot carry, which is exactly what the JUnit writer must get right.
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const document: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const open = [document];
  const current = () => open[open.length - 1] ?? document;
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: "" };
    current().children.push(element);
    open.push(element);
  });
  parser.on("closetag", () => {
    open.pop();
  });
  parser.on("text", (text) => {
    current().text += text;
  });
  parser.write(xml).close();
  const [root] = document.children;
  if (root === undefined) throw new Error("no root element");
  return root;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return childrenNamed(element, name)[0];
}
