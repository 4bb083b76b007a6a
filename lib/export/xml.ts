// A small XML parser for SVG (elements, attributes, text, character references, comments, CDATA; the XML declaration
// and a doctype are skipped), strict about nesting and quoting so that it doubles as a well-formedness check of the
// exported figures, and the escaping lib/figures/svg.ts writes with. Pure: runs in Node and in the browser.
import { errorOfKind } from "@/lib/errors";

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends errorOfKind("bad_input") {}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (_m, ref: string | undefined) => {
    if (!ref) throw new XmlError(`bare "&" near offset ${at}`);
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const e = ENTITIES[ref];
    if (e === undefined) throw new XmlError(`unknown entity &${ref}; near offset ${at}`);
    return e;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) throw new XmlError(`expected a name at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i);
      if (end < 0) throw new XmlError("unterminated processing instruction");
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i);
      if (end < 0) throw new XmlError("unterminated comment");
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i);
      if (end < 0 || !stack.length) throw new XmlError("CDATA outside an element or unterminated");
      stack[stack.length - 1].children.push(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith("<!", i)) {
      const end = text.indexOf(">", i);
      if (end < 0) throw new XmlError("unterminated declaration");
      i = end + 1;
    } else if (text.startsWith("</", i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (text[i] !== ">") throw new XmlError(`expected ">" at offset ${i}`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`closing </${name}> does not match <${open?.name ?? "nothing"}>`);
    } else if (text[i] === "<") {
      i++;
      const el: XmlElement = { name: readName(), attrs: {}, children: [] };
      for (;;) {
        const before = i;
        skipSpace();
        if (text.startsWith("/>", i)) {
          i += 2;
          break;
        }
        if (text[i] === ">") {
          i++;
          stack.push(el);
          break;
        }
        if (before === i) throw new XmlError(`expected whitespace before an attribute at offset ${i}`);
        const name = readName();
        skipSpace();
        if (text[i] !== "=") throw new XmlError(`attribute ${name} without a value at offset ${i}`);
        i++;
        skipSpace();
        const q = text[i];
        if (q !== '"' && q !== "'") throw new XmlError(`unquoted attribute ${name} at offset ${i}`);
        const end = text.indexOf(q, i + 1);
        if (end < 0) throw new XmlError(`unterminated attribute ${name}`);
        const raw = text.slice(i + 1, end);
        if (raw.includes("<")) throw new XmlError(`"<" in attribute ${name}`);
        if (name in el.attrs) throw new XmlError(`duplicate attribute ${name}`);
        el.attrs[name] = decode(raw, i);
        i = end + 1;
      }
      const parent = stack[stack.length - (stack[stack.length - 1] === el ? 2 : 1)];
      if (parent) parent.children.push(el);
      else if (root) throw new XmlError("more than one root element");
      else root = el;
    } else {
      const end = text.indexOf("<", i);
      const chunk = text.slice(i, end < 0 ? text.length : end);
      if (stack.length) stack[stack.length - 1].children.push(decode(chunk, i));
      else if (chunk.trim()) throw new XmlError("text outside the root element");
      i = end < 0 ? text.length : end;
    }
  }
  if (stack.length) throw new XmlError(`<${stack[stack.length - 1].name}> is not closed`);
  if (!root) throw new XmlError("no root element");
  return root;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&quot;"));
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) if (typeof c !== "string") yield* walk(c);
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}
