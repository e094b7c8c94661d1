/**
 * Records (one line, or one multi-line JSON document) to events. The format is recognised per record unless
 * forced, so a file may mix formats; Zeek TSV headers are the only state. A header line changes it for the
 * records after it only (a file may hold several header blocks: rotated logs concatenated, `#close` then a new
 * `#path`), so a batch decoded elsewhere (a worker thread) gets a copy of the state where the batch starts, header
 * lines included, and replays them in order.
 */
import { basename } from "node:path";
import { SigmaEvent, type EventLogsource } from "../event.ts";
import { fromWindowsJson } from "./windows.ts";
import { eventsXmlToJson, looksLikeEventXml, NotAnEvent } from "./xml.ts";
import { auditInSyslog, nearestYear, newZeekHeader, octetFrames, parseAuditd, parseCef, parseSyslog, parseZeekRow, withGenericDnsNames, yearless, zeekDirective, zeekLogsource, type Parsed, type ZeekHeader } from "./text.ts";
import { parseTimestamp } from "../rule/item.ts";

export const INPUT_FORMATS = ["auto", "json", "xml", "syslog", "auditd", "cef", "zeek", "text"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface DecoderState {
  file: string;
  format: InputFormat;
  zeek: ZeekHeader;
  /** Log source for events whose own format says nothing of it (e.g. `--product linux --service auth`). */
  logsource?: EventLogsource;
  /** Time of the file's last syslog stamp written without a year, to carry the year across New Year. */
  lastYearless?: number;
  /** The first such time decoded with this state: a worker thread's batch reports it, so its years can be joined to the file's. */
  firstYearless?: number;
}

export const newDecoderState = (file: string, format: InputFormat = "auto", logsource?: EventLogsource): DecoderState =>
  ({ file, format, zeek: newZeekHeader(), ...(logsource ? { logsource } : {}) });

/** A copy of the state to decode a batch with while the reader's own state moves on past the batch's headers. */
export const copyDecoderState = (state: DecoderState): DecoderState => ({ ...state, zeek: { ...state.zeek } });

/** Takes in a Zeek header line; true when the record was one (and so holds no event). */
export function absorbHeader(state: DecoderState, text: string): boolean {
  return text.startsWith("#") && (state.format === "auto" || state.format === "zeek") && zeekDirective(text, state.zeek);
}

export class UndecodableRecord extends Error {}

export function decodeRecord(state: DecoderState, text: string, line: number): SigmaEvent[] {
  const first = text.charCodeAt(0);
  // A header line in a batch changes the state for the rows after it, in stream order.
  if (first === 0x23 /* # */ && absorbHeader(state, text)) return [];
  const fmt = state.format;
  if (fmt === "json" || (fmt === "auto" && (first === 0x7b /* { */ || first === 0x5b /* [ */))) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new UndecodableRecord("not valid JSON");
    }
    return decodeDocument(state, doc, line);
  }
  if (fmt === "xml" || (fmt === "auto" && first === 0x3c /* < */ && looksLikeEventXml(text))) return xmlEvents(state, text, line);
  if (first >= 0x30 && first <= 0x39 && (fmt === "auto" || fmt === "syslog")) {
    const frames = octetFrames(text) ?? looseFrame(text);
    if (frames) return frames.flatMap((f) => decodeRecord(state, f, line));
  }
  const parsed =
    (fmt === "auto" || fmt === "zeek" ? parseZeekRow(text, state.zeek) : undefined) ??
    (fmt === "auto" || fmt === "cef" ? parseCef(text) : undefined) ??
    (fmt === "auto" || fmt === "auditd" ? parseAuditd(text) : undefined) ??
    (fmt === "auto" || fmt === "syslog" || fmt === "auditd" ? syslogOrAudit(text, fmt) : undefined);
  if (parsed) {
    // Sysmon for Linux logs each event's XML as the syslog message.
    const message = parsed.fields.message;
    if (typeof message === "string" && message.charCodeAt(0) === 0x3c && looksLikeEventXml(message)) return xmlEvents(state, message, line);
    return [textEvent(state, { ...parsed, fields: { ...parsed.fields, raw: text } }, line)];
  }
  if (fmt !== "auto" && fmt !== "text") throw new UndecodableRecord(`not a ${fmt} record`);
  return [textEvent(state, { fields: { message: text }, logsource: null, time: undefined }, line)];
}

/**
 * A line that opens like an octet-counted frame whose count does not fit (a message that held a newline, a
 * miscounting sender): the rest is taken as one frame when it reads as syslog.
 */
function looseFrame(text: string): string[] | undefined {
  const m = /^\d{1,6} (<\d{1,3}>.*)$/s.exec(text);
  return m && parseSyslog(m[1]!) ? [m[1]!] : undefined;
}

/** A syslog line; one carrying an audit record (audisp-syslog, the kernel's audit: lines) is that auditd record. */
function syslogOrAudit(text: string, fmt: InputFormat): Parsed | undefined {
  const p = parseSyslog(text);
  if (!p) return undefined;
  return auditInSyslog(p) ?? (fmt === "auditd" ? undefined : p);
}

function textEvent(state: DecoderState, p: Parsed, line: number): SigmaEvent {
  let time = p.time;
  if (time !== undefined && yearless(p)) {
    // "Dec 31 23:59:50" then "Jan  1 00:00:10": the second is the next year's, not eleven months earlier.
    if (state.lastYearless !== undefined) time = nearestYear(time, state.lastYearless);
    state.lastYearless = time;
    state.firstYearless ??= time;
  }
  const ev = new SigmaEvent(p.fields, p.logsource ?? state.logsource ?? null, time, { file: state.file, line });
  if (time !== undefined && yearless(p)) ev.yearless = true;
  return ev;
}

/** The <Event> elements of XML, each read as the Windows reader reads xmltodict's JSON of it. */
function xmlEvents(state: DecoderState, text: string, line: number): SigmaEvent[] {
  let docs: Record<string, unknown>[];
  try {
    docs = eventsXmlToJson(text);
  } catch (err) {
    if (err instanceof NotAnEvent) throw new UndecodableRecord(`not a Windows event in XML: ${err.message}`);
    throw err;
  }
  return docs.map((doc) => jsonEvent(state, doc, { file: state.file, line }));
}

/** An already parsed JSON document (an array holds one event per element) to events. */
export function decodeDocument(state: DecoderState, doc: unknown, line: number): SigmaEvent[] {
  const origin = { file: state.file, line };
  // Splunk's JSON export wraps each event: {"preview": false, "result": {...}}; a Windows event's _raw is its XML.
  const splunk = splunkResult(doc);
  if (splunk !== undefined) {
    const raw = splunk._raw;
    if (typeof raw === "string" && raw.charCodeAt(0) === 0x3c && looksLikeEventXml(raw)) return xmlEvents(state, raw, line);
    return [jsonEvent(state, splunk, origin)];
  }
  // A CloudTrail log file: one JSON document whose Records are the events.
  if (isCloudTrailFile(doc)) return doc.Records.map((d) => jsonEvent(state, d, origin));
  if (!Array.isArray(doc)) return [jsonEvent(state, doc, origin)];
  return doc.map((d) => jsonEvent(state, d, origin));
}

/** The event of a Splunk export row (`splunk search -output json`, the REST export): `result` beside `preview`. */
function splunkResult(doc: unknown): Record<string, unknown> | undefined {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const { result, preview } = doc as { result?: unknown; preview?: unknown };
  if (typeof preview !== "boolean" || result === null || typeof result !== "object" || Array.isArray(result)) return undefined;
  return result as Record<string, unknown>;
}

function isCloudTrailFile(doc: unknown): doc is { Records: unknown[] } {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return false;
  const records = (doc as { Records?: unknown }).Records;
  if (!Array.isArray(records) || records.length === 0) return false;
  const first = records[0] as Record<string, unknown> | null;
  return first !== null && typeof first === "object" && typeof first.eventSource === "string" && typeof first.eventName === "string";
}

function jsonEvent(state: DecoderState, doc: unknown, origin: { file: string; line: number }): SigmaEvent {
  const p = fromJson(doc, state);
  return new SigmaEvent(p.fields, p.logsource ?? state.logsource ?? null, p.time, origin, doc);
}

const TIME_KEYS = ["@timestamp", "timestamp", "time", "eventTime", "EventTime", "date", "ts"];

function fromJson(doc: unknown, state: DecoderState): Parsed {
  const win = fromWindowsJson(doc);
  if (win) return win;
  const fields = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>) : { message: doc };
  const logsource = jsonLogsource(fields, state);
  if (logsource?.product === "zeek" && logsource.services.includes("dns")) withGenericDnsNames(fields);
  return { fields, logsource, time: jsonTime(fields) };
}

/** Zeek's log types: a file name holding one ("http.log", "zeek-http.log", "dns_20261120.json.gz") names the service. */
const ZEEK_LOGS = new Set(["conn", "dns", "http", "ssl", "x509", "files", "smtp", "ssh", "dhcp", "ntp", "rdp", "smb_files", "smb_mapping", "dce_rpc", "kerberos", "ntlm", "notice", "weird", "software", "pe", "tunnel", "known_hosts", "known_services", "known_certs", "radius", "sip", "snmp", "socks", "ftp", "irc", "mysql", "modbus", "dnp3", "quic", "traceroute", "syslog", "intel", "capture_loss", "stats", "reporter", "loaded_scripts", "packet_filter"]);

function zeekService(file: string): string | undefined {
  const tokens = basename(file).toLowerCase().split(/[^a-z0-9_]+/);
  for (const t of tokens) if (ZEEK_LOGS.has(t)) return t;
  for (const t of tokens) for (const part of t.split("_")) if (ZEEK_LOGS.has(part)) return part;
  return undefined;
}

function jsonLogsource(f: Record<string, unknown>, state: DecoderState): EventLogsource | null {
  if (typeof f._path === "string") return zeekLogsource(f._path);
  if (typeof f.uid === "string" && "id.orig_h" in f) {
    // Zeek JSON without _path: the file name may tell its log type; else the source the caller named, if any.
    const service = zeekService(state.file);
    if (service !== undefined) return zeekLogsource(service);
    return state.logsource ?? zeekLogsource(undefined);
  }
  if (typeof f.eventSource === "string" && typeof f.eventName === "string" && "awsRegion" in f) return { product: "aws", categories: [], services: ["cloudtrail"] };
  return null;
}

function jsonTime(f: Record<string, unknown>): number | undefined {
  for (const k of TIME_KEYS) {
    const v = f[k];
    if (typeof v === "number") return v > 1e11 ? v : v * 1000;
    if (typeof v === "string") {
      const t = parseTimestamp(v);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}
