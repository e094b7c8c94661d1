/**
 * Windows events as XML, one <Event> element per record: what `wevtutil qe /f:xml`, Get-WinEvent's ToXml(), SIEM
 * forwarders (Splunk's XmlWinEventLog) and Sysmon for Linux (inside its syslog lines) write. Read into the shape
 * xmltodict gives the same XML (attributes as "@Name", text beside them as "#text", repeated elements as lists),
 * which the Windows reader (windows.ts) already takes.
 */
import { parseDocument } from "htmlparser2";

/** The parts of htmlparser2's DOM nodes read here. */
interface XmlNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
}

/** An event's XML nests a few levels; deeper is not an event, and the conversion below recurses. */
const MAX_DEPTH = 32;

export class NotAnEvent extends Error {}

/** Whether a record (or a syslog message) opens like an event's XML, or a list of them (`<Events>`, as wevtutil's /e: wraps them). */
export function looksLikeEventXml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?<Events?[\s>]/.test(text);
}

/**
 * Each <Event> element of the record as xmltodict would give it: `{ Event: { System: {...}, EventData: {...} } }`.
 * A record may hold several, back to back (`wevtutil qe` without /f:RenderedXml writes them on one line) or under an
 * <Events> root.
 */
export function eventsXmlToJson(text: string): Record<string, unknown>[] {
  // The parser closes what is left open; an event cut short (a truncated line, a record split apart) is no event.
  if (!text.includes("</Event>")) throw new NotAnEvent("it ends before </Event> (cut short?)");
  const doc = parseDocument(text, { xmlMode: true }) as unknown as XmlNode;
  const top = (doc.children ?? []).filter((n) => n.type === "tag");
  const root = top.length === 1 && top[0]!.name === "Events" ? (top[0]!.children ?? []).filter((n) => n.type === "tag") : top;
  const events = root.filter((n) => n.name === "Event");
  if (events.length === 0) throw new NotAnEvent("no <Event> element");
  return events.map((event) => {
    const body = convert(event, 0);
    if (body === null || typeof body !== "object" || !("System" in body)) throw new NotAnEvent("the <Event> element has no <System>");
    return { Event: body };
  });
}

function convert(node: XmlNode, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new NotAnEvent(`XML nested deeper than ${MAX_DEPTH} levels`);
  const out: Record<string, unknown> = {};
  let attributes = 0;
  for (const [k, v] of Object.entries(node.attribs ?? {})) {
    out[`@${k}`] = v;
    attributes++;
  }
  let text = "";
  let elements = 0;
  for (const child of node.children ?? []) {
    if (child.type === "text" || child.type === "cdata") text += child.type === "cdata" ? (child.children ?? []).map((c) => c.data ?? "").join("") : child.data ?? "";
    else if (child.type === "tag" && child.name !== undefined) {
      elements++;
      const value = convert(child, depth + 1);
      const prior = out[child.name];
      if (prior === undefined) out[child.name] = value;
      else if (Array.isArray(prior) && (prior as unknown[] & { repeated?: true }).repeated) (prior as unknown[]).push(value);
      else out[child.name] = Object.assign([prior, value], { repeated: true as const });
    }
  }
  // Text beside child elements is layout (indentation), as in xmltodict.
  if (elements === 0 && text !== "") {
    if (attributes === 0) return text;
    out["#text"] = text;
  }
  if (elements === 0 && attributes === 0 && text === "") return null;
  for (const k in out) if (Array.isArray(out[k])) out[k] = [...(out[k] as unknown[])];
  return out;
}
