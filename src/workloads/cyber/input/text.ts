/**
 * Line-oriented log formats: syslog (RFC 5424 and RFC 3164, with or without the priority), Linux auditd records,
 * ArcSight CEF (bare or behind a syslog header) and Zeek TSV rows. Each parser returns the event's fields, what
 * is known of its log source, and its time; none of them throws on a malformed line (it becomes plain text).
 */
import type { EventLogsource } from "../event.ts";
import { parseTimestamp } from "../rule/item.ts";

export interface Parsed {
  fields: Record<string, unknown>;
  logsource: EventLogsource | null;
  time: number | undefined;
}

const SEVERITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"];

// RFC 5424: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
// RFC 3164: [<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MSG (also with an ISO timestamp, as rsyslog writes by default)
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\S+) (\S+) ([^\s:[\]]+)(?:\[(\d+)\])?: ?(.*)$/s;

/** Programs whose lines Sigma's linux services name (taxonomy: Linux folder, services). */
const LINUX_SERVICES: Record<string, string[]> = {
  sshd: ["sshd", "auth"], sudo: ["sudo", "auth"], su: ["auth"], login: ["auth"], "systemd-logind": ["auth"],
  useradd: ["auth"], userdel: ["auth"], usermod: ["auth"], groupadd: ["auth"], passwd: ["auth"], chpasswd: ["auth"],
  // crontab(1) writes the REPLACE/LIST/BEGIN EDIT lines Sigma's cron rules read, as the cron daemon writes the others.
  cron: ["cron"], crond: ["cron"], anacron: ["cron"], crontab: ["cron"], vsftpd: ["vsftpd"], clamd: ["clamav"], freshclam: ["clamav"],
  clamscan: ["clamav"], guacd: ["guacamole"], guacamole: ["guacamole"],
};

function syslogLogsource(program: string | undefined): EventLogsource {
  const p = (program ?? "").toLowerCase();
  return { product: "linux", categories: [], services: ["syslog", ...(LINUX_SERVICES[p] ?? [])] };
}

export function parseSyslog(line: string): Parsed | undefined {
  let m = RFC5424.exec(line);
  if (m) {
    const pri = Number(m[1]);
    const nil = (s: string | undefined): string | undefined => (s === "-" ? undefined : s);
    const fields: Record<string, unknown> = {
      facility: pri >> 3, severity: SEVERITIES[pri & 7], timestamp: nil(m[3]), host: nil(m[4]), program: nil(m[5]),
      pid: nil(m[6]), msgid: nil(m[7]), message: withoutBom(m[9] ?? ""),
    };
    if (m[8] !== "-") Object.assign(fields, structuredData(m[8]!));
    return { fields: dropUndefined(fields), logsource: syslogLogsource(nil(m[5])), time: m[3] === "-" ? undefined : parseTimestamp(m[3]!) };
  }
  m = RFC3164.exec(line);
  if (m) {
    const pri = m[1] === undefined ? undefined : Number(m[1]);
    const fields: Record<string, unknown> = {
      facility: pri === undefined ? undefined : pri >> 3, severity: pri === undefined ? undefined : SEVERITIES[pri & 7],
      timestamp: m[2], host: m[3], program: m[4], pid: m[5], message: m[6],
    };
    return { fields: dropUndefined(fields), logsource: syslogLogsource(m[4]), time: bsdTime(m[2]!) };
  }
  return undefined;
}

/**
 * RFC 6587 octet counting, as a capture of syslog over TCP holds it: `MSG-LEN SP SYSLOG-MSG`, frames back to back
 * (on one line, or one a line). The frames, or undefined when the line is not exactly such frames (each must open
 * with a priority, `<`, and the counts, in UTF-8 bytes, must add up; the last count may take in the line's end).
 */
export function octetFrames(line: string): string[] | undefined {
  if (!/^\d{1,6} </.test(line)) return undefined;
  const bytes = Buffer.from(line, "utf8");
  const frames: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    let digits = at;
    while (digits < bytes.length && bytes[digits]! >= 0x30 && bytes[digits]! <= 0x39) digits++;
    if (digits === at || digits - at > 6 || bytes[digits] !== 0x20 || bytes[digits + 1] !== 0x3c /* < */) return undefined;
    const len = Number(bytes.toString("latin1", at, digits));
    const start = digits + 1;
    const end = start + len;
    // The line reader removed the newline a sender may have counted into the last frame.
    if (end > bytes.length + 1) return undefined;
    frames.push(bytes.toString("utf8", start, Math.min(end, bytes.length)).replace(/\r?\n$/, ""));
    at = end;
  }
  return frames;
}

/** RFC 5424 6.4: a MSG in UTF-8 may open with a BOM, which marks the encoding and is not part of the text. */
const withoutBom = (msg: string): string => (msg.charCodeAt(0) === 0xfeff ? msg.slice(1) : msg);

/** `[id k="v" ...]` elements -> `id.k` fields. */
function structuredData(sd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of sd.matchAll(/\[([^\s\]]+)((?:\s+[^=\s]+="(?:[^"\\]|\\.)*")*)\s*\]/g)) {
    for (const p of el[2]!.matchAll(/([^=\s]+)="((?:[^"\\]|\\.)*)"/g)) out[`${el[1]}.${p[1]}`] = p[2]!.replace(/\\(["\\\]])/g, "$1");
  }
  return out;
}

/**
 * RFC 3164 stamps carry no year: the current year is assumed (the usual reading), or the last one when that would
 * put the stamp more than a day ahead of now (December's log read in January). decode.ts then keeps a file's
 * stamps in sequence across New Year.
 */
function bsdTime(stamp: string): number | undefined {
  if (/^\d{4}-/.test(stamp)) return parseTimestamp(stamp);
  const year = new Date().getUTCFullYear();
  const ms = Date.parse(`${stamp} ${year} UTC`);
  if (Number.isNaN(ms)) return undefined;
  return ms > Date.now() + DAY_MS ? Date.parse(`${stamp} ${year - 1} UTC`) : ms;
}

const DAY_MS = 86_400_000;

/** Whether a syslog record's stamp was written without a year (RFC 3164's "Mmm dd hh:mm:ss"). */
export const yearless = (p: Parsed): boolean => typeof p.fields.timestamp === "string" && /^[A-Z][a-z]{2} /.test(p.fields.timestamp);

/** A yearless time moved by whole years to lie nearest the previous one of its file (within six months). */
export function nearestYear(time: number, previous: number): number {
  let t = time;
  for (let k = 0; k < 2 && t - previous > HALF_YEAR_MS; k++) t = shiftYears(t, -1);
  for (let k = 0; k < 2 && previous - t > HALF_YEAR_MS; k++) t = shiftYears(t, 1);
  return t;
}

const HALF_YEAR_MS = 183 * DAY_MS;

export function shiftYears(time: number, years: number): number {
  const d = new Date(time);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// auditd: type=SYSCALL msg=audit(1364481363.243:24287): key=value ...
const AUDIT = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+(?:\.\d+)?):(\d+)\):\s?(.*)$/s;
/** Fields auditd writes hex-encoded when they hold spaces or control characters. */
const AUDIT_HEX = /^(a\d+|proctitle|cmd|comm|exe|name|cwd|path|acct|data|old-.*|new-.*)$/;

// The same record as a syslog message: audisp-syslog's `type=... msg=audit(...)`, or the kernel's own
// `[uptime] audit: type=1400 audit(...)` (numeric type, no `msg=`) when auditd is not running.
const AUDIT_IN_SYSLOG = /^(?:\[\s*\d+\.\d+\] )?(?:audit: )?(?:node=(\S+) )?type=(\S+) (?:msg=)?audit\((\d+(?:\.\d+)?):(\d+)\):\s?(.*)$/s;

/** Record type numbers (linux/audit.h) the kernel writes where auditd would write the name. */
const AUDIT_TYPES: Record<string, string> = {
  1006: "LOGIN", 1100: "USER_AUTH", 1101: "USER_ACCT", 1102: "USER_MGMT", 1103: "CRED_ACQ", 1104: "CRED_DISP",
  1105: "USER_START", 1106: "USER_END", 1107: "USER_AVC", 1108: "USER_CHAUTHTOK", 1109: "USER_ERR", 1110: "CRED_REFR",
  1111: "USYS_CONFIG", 1112: "USER_LOGIN", 1113: "USER_LOGOUT", 1114: "ADD_USER", 1115: "DEL_USER", 1116: "ADD_GROUP",
  1117: "DEL_GROUP", 1123: "USER_CMD", 1130: "SERVICE_START", 1131: "SERVICE_STOP", 1300: "SYSCALL", 1302: "PATH",
  1303: "IPC", 1304: "SOCKETCALL", 1305: "CONFIG_CHANGE", 1306: "SOCKADDR", 1307: "CWD", 1309: "EXECVE",
  1320: "EOE", 1321: "BPRM_FCAPS", 1322: "CAPSET", 1323: "MMAP", 1324: "NETFILTER_PKT", 1325: "NETFILTER_CFG",
  1326: "SECCOMP", 1327: "PROCTITLE", 1328: "FEATURE_CHANGE", 1329: "REPLACE", 1330: "KERN_MODULE", 1331: "FANOTIFY",
  1334: "BPF", 1400: "AVC", 1401: "SELINUX_ERR", 1402: "AVC_PATH", 1700: "ANOM_PROMISCUOUS", 1701: "ANOM_ABEND",
  1702: "ANOM_LINK",
};

export function parseAuditd(line: string): Parsed | undefined {
  const m = AUDIT.exec(line);
  return m ? auditRecord(m) : undefined;
}

/** A syslog event whose message is an audit record, as that auditd record (with the syslog host and program). */
export function auditInSyslog(p: Parsed): Parsed | undefined {
  const msg = p.fields.message;
  if (typeof msg !== "string" || !msg.includes("audit(")) return undefined;
  const m = AUDIT_IN_SYSLOG.exec(msg);
  if (!m) return undefined;
  const audit = auditRecord(m);
  for (const k of ["host", "program"]) if (p.fields[k] !== undefined && audit.fields[k] === undefined) audit.fields[k] = p.fields[k];
  return audit;
}

function auditRecord(m: RegExpExecArray): Parsed {
  const fields: Record<string, unknown> = { type: AUDIT_TYPES[m[2]!] ?? m[2], serial: m[4] };
  if (m[1] !== undefined) fields.node = m[1];
  auditPairs(m[5]!, fields);
  return { fields, logsource: { product: "linux", categories: [], services: ["auditd"] }, time: Number(m[3]) * 1000 };
}

function auditPairs(text: string, out: Record<string, unknown>): void {
  // A long argument comes in chunks, `a1_len=N a1[0]=... a1[1]=...`, rebuilt into `a1` once all are seen.
  let chunks: Map<string, string[]> | undefined;
  for (const p of text.matchAll(/([\w\-]+)(?:\[(\d+)\])?=("[^"]*"|'[^']*'|\S*)/g)) {
    const key = p[1]!;
    const raw = p[3]!;
    if (p[2] !== undefined) {
      chunks ??= new Map();
      const list = chunks.get(key) ?? [];
      list[Number(p[2])] = raw;
      chunks.set(key, list);
      continue;
    }
    if (raw.startsWith("'")) {
      // USER_* records nest their own key=value list inside msg='...'.
      auditPairs(raw.slice(1, -1), out);
      continue;
    }
    if (raw.startsWith('"')) out[key] = raw.slice(1, -1);
    else if (AUDIT_HEX.test(key) && /^(?:[0-9A-F]{2}){2,}$/.test(raw)) out[key] = Buffer.from(raw, "hex").toString("utf8").replace(/\0/g, " ").trim();
    else out[key] = raw;
  }
  if (chunks) for (const [key, list] of chunks) out[key] = joinedChunks(list);
}

/** The chunks of one argument: hex (joined before decoding, as a character may span two) or quoted text. */
function joinedChunks(list: string[]): string {
  const parts = Array.from(list, (c) => c ?? "");
  if (parts.every((c) => /^(?:[0-9A-F]{2})*$/.test(c))) return Buffer.from(parts.join(""), "hex").toString("utf8").replace(/\0/g, " ");
  return parts.map((c) => (c.startsWith('"') ? c.slice(1, -1) : c)).join("");
}

const CEF_HEADER = ["cefVersion", "deviceVendor", "deviceProduct", "deviceVersion", "deviceEventClassId", "name", "severity"];

export function parseCef(line: string): Parsed | undefined {
  const at = line.indexOf("CEF:");
  if (at < 0) return undefined;
  const prefix = line.slice(0, at).trim();
  const body = line.slice(at + 4);
  const header: string[] = [];
  let cur = "";
  let i = 0;
  for (; i < body.length && header.length < 7; i++) {
    const c = body[i]!;
    if (c === "\\" && (body[i + 1] === "|" || body[i + 1] === "\\")) { cur += body[++i]; continue; }
    if (c === "|") { header.push(cur); cur = ""; continue; }
    cur += c;
  }
  if (header.length < 7) return undefined;
  const fields: Record<string, unknown> = {};
  CEF_HEADER.forEach((name, idx) => { fields[name] = header[idx]; });
  const ext = body.slice(i);
  // Extension: key=value pairs; a value runs to the next ` key=`; `\=`, `\\`, `\n` are escapes.
  const keys = [...ext.matchAll(/(?:^|\s)([\w.\[\]-]+)=/g)];
  keys.forEach((k, idx) => {
    const start = k.index! + k[0].length;
    const end = idx + 1 < keys.length ? keys[idx + 1]!.index! : ext.length;
    // One pass: "\\r" is a backslash and an r (ALLIANCE\\r.silva, C:\\Users\\run.exe), not a carriage return.
    fields[k[1]!] = ext.slice(start, end).trimEnd().replace(/\\([=\\nr])/g, (_m, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c));
  });
  if (prefix !== "") fields.syslogHeader = prefix;
  const rt = fields.rt ?? fields.end ?? fields.start;
  const time = typeof rt === "string" ? (/^\d+$/.test(rt) ? Number(rt) : parseTimestamp(rt)) : undefined;
  return { fields, logsource: null, time };
}

/** Zeek's TSV header: the field names, the separators and the log path (which is Sigma's zeek service). */
export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields: string[];
  types: string[];
}

export const newZeekHeader = (): ZeekHeader => ({ separator: "\t", setSeparator: ",", emptyField: "(empty)", unsetField: "-", fields: [], types: [] });

/** Reads a `#` header line into the header; returns false for lines that are not Zeek directives. */
export function zeekDirective(line: string, h: ZeekHeader): boolean {
  const unescape = (s: string): string => s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, x: string) => String.fromCharCode(parseInt(x, 16)));
  if (line.startsWith("#separator ")) { h.separator = unescape(line.slice(11)); return true; }
  const [directive, ...rest] = line.split(h.separator);
  switch (directive) {
    case "#set_separator": h.setSeparator = unescape(rest[0] ?? ","); return true;
    case "#empty_field": h.emptyField = rest[0] ?? "(empty)"; return true;
    case "#unset_field": h.unsetField = rest[0] ?? "-"; return true;
    case "#path": h.path = rest[0]; return true;
    case "#fields": h.fields = rest; return true;
    case "#types": h.types = rest; return true;
    case "#open": case "#close": return true;
    default: return false;
  }
}

export function parseZeekRow(line: string, h: ZeekHeader): Parsed | undefined {
  if (h.fields.length === 0) return undefined;
  const cols = line.split(h.separator);
  if (cols.length !== h.fields.length) return undefined;
  const fields: Record<string, unknown> = {};
  cols.forEach((v, i) => {
    if (v === h.unsetField) return;
    const type = h.types[i] ?? "";
    if (v === h.emptyField) fields[h.fields[i]!] = /^(set|vector)\[/.test(type) ? [] : "";
    // Set elements are split first: a separator inside an element is written escaped (\x2c).
    else if (/^(set|vector)\[/.test(type)) fields[h.fields[i]!] = v.split(h.setSeparator).map(zeekUnescape);
    else fields[h.fields[i]!] = zeekUnescape(v);
  });
  const ts = typeof fields.ts === "string" ? Number(fields.ts) * 1000 : undefined;
  if (h.path === "dns") withGenericDnsNames(fields);
  return { fields, logsource: zeekLogsource(h.path), time: ts };
}

/**
 * Zeek's ASCII writer writes a byte that is not printable (also each byte of non-ASCII text in older versions),
 * the separator and a backslash as `\xNN`; the bytes are UTF-8 text, else each stands for itself.
 */
function zeekUnescape(v: string): string {
  if (!v.includes("\\x")) return v;
  const parts = v.split(/\\x([0-9a-fA-F]{2})/);
  if (parts.length === 1) return v;
  const bytes: Buffer[] = [];
  parts.forEach((p, i) => bytes.push(i % 2 === 1 ? Buffer.from([parseInt(p, 16)]) : Buffer.from(p, "utf8")));
  const all = Buffer.concat(bytes);
  try {
    return UTF8.decode(all);
  } catch {
    return parts.map((p, i) => (i % 2 === 1 ? String.fromCharCode(parseInt(p, 16)) : p)).join("");
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Sigma's generic `category: dns` rules read `query`, `answer` and `record_type`; Zeek's dns.log writes the same facts
 * as `query`, `answers` and `qtype_name`. The generic names are added beside Zeek's own (a field the log already has
 * under a generic name is kept), so rules written for either read the record.
 */
export function withGenericDnsNames(fields: Record<string, unknown>): void {
  if (fields.answer === undefined && fields.answers !== undefined) fields.answer = fields.answers;
  if (fields.record_type === undefined && fields.qtype_name !== undefined) fields.record_type = fields.qtype_name;
}

/** Zeek's log source; dns.log is also Sigma's generic `category: dns` (see withGenericDnsNames). */
export const zeekLogsource = (path: string | undefined): EventLogsource =>
  ({ product: "zeek", categories: path === "dns" ? ["dns"] : [], services: path === undefined ? [] : [path] });
