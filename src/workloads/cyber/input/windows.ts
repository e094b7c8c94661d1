/**
 * Windows events as JSON, in the shapes tools write them: the `Event.System` / `Event.EventData` tree of
 * evtx-to-JSON converters (evtx_dump, python-evtx), winlogbeat's `winlog.*`, and flat records that already use
 * Sigma's names (`Channel`, `EventID`, ...). All become Sigma's field names: EventData names as they are, plus
 * EventID, Channel, Provider_Name, Computer and Security_UserID from System.
 */
import { windowsLogsource } from "../logsource.ts";
import type { EventLogsource } from "../event.ts";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** `{"#text": x, "#attributes": {...}}` -> x; other values unchanged. */
function text(v: unknown): unknown {
  return isObj(v) && "#text" in v ? v["#text"] : v;
}

/** An XML attribute as converters write it: under "#attributes" (evtx_dump, python-evtx) or as "@Name" (xmltodict). */
function attr(v: unknown, name: string): unknown {
  if (!isObj(v)) return undefined;
  const attrs = v["#attributes"];
  if (isObj(attrs) && attrs[name] !== undefined) return attrs[name];
  return v[`@${name}`];
}

/** The name of a <Data Name="x"> element: an attribute, or a plain "Name" key beside its text ({Name, #text}). */
function dataName(d: unknown): unknown {
  const name = attr(d, "Name");
  if (name !== undefined || !isObj(d)) return name;
  return typeof d.Name === "string" && ("#text" in d || "Value" in d || "value" in d) ? d.Name : undefined;
}

/** The text of a <Data> element: "#text", or "Value" beside a plain name; none (`<Data Name="x"/>`) is "". */
function dataText(d: unknown): unknown {
  if (!isObj(d) || "#text" in d) return text(d);
  if (typeof d.Name === "string" && ("Value" in d || "value" in d)) return "Value" in d ? d.Value : d.value;
  // Nothing but attributes ("#attributes" or "@Name"): the element is empty, and Sigma's '' matches it.
  for (const k in d) if (k !== "#attributes" && k.charCodeAt(0) !== 0x40 /* @ */) return d;
  return "";
}

export interface WindowsFields {
  fields: Obj;
  logsource: EventLogsource;
  time: number | undefined;
}

export function fromWindowsJson(doc: unknown): WindowsFields | undefined {
  if (!isObj(doc)) return undefined;
  if (isObj(doc.Event) && isObj(doc.Event.System)) return fromEventTree(doc.Event);
  if (isObj(doc.winlog)) return fromWinlogbeat(doc);
  if (typeof doc.Id === "number" && typeof doc.LogName === "string" && typeof doc.ProviderName === "string") return fromPowerShell(doc);
  // NXLog's im_msvistalog writes EventTime (and EventReceivedTime when it got the event), and the provider as
  // SourceName; Splunk's flattened Windows events the id as EventCode.
  if (("EventID" in doc || "EventCode" in doc) && "Channel" in doc) {
    const fields: Obj = { ...doc };
    if (fields.EventID === undefined) fields.EventID = Number(doc.EventCode);
    if (fields.Provider_Name === undefined && typeof doc.SourceName === "string") fields.Provider_Name = doc.SourceName;
    return finish(fields, doc.TimeCreated ?? doc.SystemTime ?? doc.EventTime ?? doc["@timestamp"] ?? doc.EventReceivedTime ?? doc._time);
  }
  return undefined;
}

function fromEventTree(event: Obj): WindowsFields {
  const system = withSeparateAttributes(event.System as Obj);
  const data = event.EventData;
  let fields: Obj;
  if (isObj(data) && event.UserData === undefined && isPlainData(data)) {
    // The usual shape: named scalars. A spread copies them in one step and keeps the copy a fast-property object,
    // where assigning them one by one turns it into a slow dictionary.
    fields = { ...data };
  } else {
    fields = {};
    for (const section of [data, event.UserData]) {
      if (!isObj(section)) continue;
      // UserData holds one element named after the event; its children are the data fields.
      const body = section === event.UserData ? Object.values(section).find(isObj) ?? section : section;
      flattenData(body, fields);
    }
  }
  const rawId = text(system.EventID);
  const eventId = typeof rawId === "number" ? rawId : Number(rawId);
  fields.EventID = Number.isNaN(eventId) ? rawId : eventId;
  // Named stores (not fields[name]) keep the record a fast-property object; undefined parts are left out.
  let v: unknown;
  if ((v = text(system.Channel)) !== undefined) fields.Channel = v;
  if ((v = attr(system.Provider, "Name")) !== undefined) fields.Provider_Name = v;
  if ((v = text(system.Computer)) !== undefined) fields.Computer = v;
  if ((v = attr(system.Security, "UserID")) !== undefined) fields.Security_UserID = v;
  if ((v = text(system.Level)) !== undefined) fields.Level = v;
  if ((v = text(system.Task)) !== undefined) fields.Task = v;
  if ((v = text(system.Opcode)) !== undefined) fields.Opcode = v;
  if ((v = text(system.Keywords)) !== undefined) fields.Keywords = v;
  if ((v = text(system.EventRecordID)) !== undefined) fields.EventRecordID = v;
  if ((v = attr(system.Execution, "ProcessID")) !== undefined) fields.ProcessID = fields.Execution_ProcessID = v;
  if ((v = attr(system.Execution, "ThreadID")) !== undefined) fields.ThreadID = fields.Execution_ThreadID = v;
  if ((v = text(system.Version)) !== undefined) fields.Version = v;
  // The other attributes of System elements, under the specification's Element_Attribute names (a loop over every
  // element's attributes cost a sixth of the decoding).
  if ((v = attr(system.Provider, "Guid")) !== undefined) fields.Provider_Guid = v;
  if ((v = attr(system.Provider, "EventSourceName")) !== undefined) fields.Provider_EventSourceName = v;
  if ((v = attr(system.TimeCreated, "SystemTime")) !== undefined) fields.TimeCreated_SystemTime = v;
  if ((v = attr(system.Correlation, "ActivityID")) !== undefined) fields.Correlation_ActivityID = v;
  if ((v = attr(system.Correlation, "RelatedActivityID")) !== undefined) fields.Correlation_RelatedActivityID = v;
  return finish(fields, attr(system.TimeCreated, "SystemTime"));
}

/**
 * evtx_dump --separate-json-attributes (Zircolite's input) writes an element's attributes beside it, as
 * "Provider_attributes": {...} next to "Provider": "". Folded back under "#attributes" so one reader serves both.
 */
function withSeparateAttributes(system: Obj): Obj {
  let out: Obj | undefined;
  for (const key in system) {
    if (!key.endsWith("_attributes")) continue;
    const attrs = system[key];
    if (!isObj(attrs)) continue;
    const tag = key.slice(0, -"_attributes".length);
    out ??= { ...system };
    const el = out[tag];
    out[tag] = isObj(el) ? { ...el, "#attributes": attrs } : el === undefined || el === "" || el === null ? { "#attributes": attrs } : { "#text": el, "#attributes": attrs };
  }
  return out ?? system;
}

/** Data that `flattenData` would copy as it is: scalar values under names without spaces, no `Data` or `#` keys. */
function isPlainData(body: Obj): boolean {
  for (const key in body) {
    const v = body[key];
    if ((v !== null && typeof v === "object") || key === "Data" || key.charCodeAt(0) === 0x23 /* # */ || key.includes(" ")) return false;
  }
  return true;
}

function flattenData(body: Obj, out: Obj): void {
  let spaced = false;
  for (const key in body) {
    const value = body[key];
    if (key === "#attributes") continue;
    if (key.includes(" ")) spaced = true;
    if (key === "Data" && Array.isArray(value)) {
      // <Data Name="x">v</Data> elements some converters keep as a list; unnamed ones stay a list under Data.
      const unnamed: unknown[] = [];
      for (const d of value) {
        const name = dataName(d);
        if (typeof name === "string") {
          if (name.includes(" ")) spaced = true;
          setField(out, name, dataText(d));
        } else unnamed.push(text(d));
      }
      if (unnamed.length > 0) out.Data = unnamed;
    } else if (key === "Data" && isObj(value) && typeof dataName(value) === "string") {
      const name = dataName(value) as string;
      if (name.includes(" ")) spaced = true;
      setField(out, name, dataText(value));
    } else {
      setField(out, key, text(value));
    }
  }
  // Some providers (Defender) name data with spaces ("Threat Name"); Sigma rules write the name without them.
  if (!spaced) return;
  for (const key of Object.keys(out)) {
    if (!key.includes(" ")) continue;
    const joined = key.replace(/ /g, "");
    if (out[joined] === undefined) setField(out, joined, out[key]);
  }
}

/** A data field, own property even when named `__proto__` (an assignment would set the record's prototype instead). */
function setField(out: Obj, name: string, value: unknown): void {
  if (name === "__proto__") Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

function fromWinlogbeat(doc: Obj): WindowsFields {
  const w = doc.winlog as Obj;
  const fields: Obj = { ...doc };
  if (isObj(w.event_data)) Object.assign(fields, w.event_data);
  if (isObj(w.user_data)) Object.assign(fields, w.user_data);
  // Elastic Agent's ingest pipelines move Sysmon's fields out of event_data into ECS (process.*, file.*): Sysmon's
  // rendered message still holds them under their own names, and the ECS fields give them back where it does not.
  if (typeof w.provider_name === "string" && /sysmon/i.test(w.provider_name) && typeof doc.message === "string") messageFields(doc.message, fields);
  for (const [name, path] of ECS_TO_SYSMON) {
    if (fields[name] !== undefined) continue;
    const v = pathValue(doc, path);
    if (v !== undefined) fields[name] = v;
  }
  if (fields.User === undefined && isObj(doc.user) && typeof doc.user.name === "string") {
    fields.User = typeof doc.user.domain === "string" ? `${doc.user.domain}\\${doc.user.name}` : doc.user.name;
  }
  Object.assign(fields, {
    EventID: Number(w.event_id),
    Channel: w.channel,
    Provider_Name: w.provider_name,
    Computer: w.computer_name,
  });
  return finish(fields, doc["@timestamp"]);
}

/**
 * Get-WinEvent's records as PowerShell's ConvertTo-Json writes them: Id, LogName, ProviderName, MachineName,
 * TimeCreated ("/Date(ms)/" in Windows PowerShell, ISO text in PowerShell 7), and the event's data only as its
 * rendered Message (Properties holds the values without their names). A Message made of "Name: value" lines, as
 * Sysmon renders every event, gives those fields under Sysmon's own names, which are Sigma's.
 */
function fromPowerShell(doc: Obj): WindowsFields {
  const fields: Obj = {};
  // Properties holds the event's data values in the order of its template: named here for the events rules read most.
  const names = PROPERTY_NAMES[`${String(doc.ProviderName).toLowerCase()}|${String(doc.Id)}`];
  if (names !== undefined && Array.isArray(doc.Properties)) {
    doc.Properties.forEach((p, i) => {
      const name = names[i];
      if (name !== undefined) fields[name] = isObj(p) && "Value" in p ? p.Value : p;
    });
  }
  else if (typeof doc.Message === "string") messageFields(doc.Message, fields);
  Object.assign(fields, {
    EventID: doc.Id,
    Channel: doc.LogName,
    Provider_Name: doc.ProviderName,
    ...(doc.MachineName !== undefined ? { Computer: doc.MachineName } : {}),
    ...(doc.RecordId !== undefined ? { EventRecordID: doc.RecordId } : {}),
    Message: doc.Message,
  });
  const t = doc.TimeCreated;
  const ms = typeof t === "string" ? /^\/Date\((-?\d+)\)\/$/.exec(t) : null;
  return finish(fields, ms !== null ? new Date(Number(ms[1])).toISOString() : t);
}

/** A rendered message's "Name: value" line: a name of letters and digits at the line's start, then the value. */
const MESSAGE_FIELD = /^([A-Za-z][A-Za-z0-9]{1,63}): (.*)$/;

/**
 * The data names of common non-Sysmon events in their templates' order (the event manifests of the Security
 * auditing, Service Control Manager and PowerShell providers), by "provider|event id". Later template versions only
 * append names, so an older event's shorter Properties take the first ones.
 */
const SECURITY_SUBJECT = ["SubjectUserSid", "SubjectUserName", "SubjectDomainName", "SubjectLogonId"];
const PROPERTY_NAMES: Readonly<Record<string, readonly string[]>> = {
  "microsoft-windows-powershell|4104": ["MessageNumber", "MessageTotal", "ScriptBlockText", "ScriptBlockId", "Path"],
  "microsoft-windows-powershell|4103": ["ContextInfo", "UserData", "Payload"],
  "service control manager|7045": ["ServiceName", "ImagePath", "ServiceType", "StartType", "AccountName"],
  "microsoft-windows-security-auditing|4624": [...SECURITY_SUBJECT, "TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId",
    "LogonType", "LogonProcessName", "AuthenticationPackageName", "WorkstationName", "LogonGuid", "TransmittedServices", "LmPackageName",
    "KeyLength", "ProcessId", "ProcessName", "IpAddress", "IpPort", "ImpersonationLevel", "RestrictedAdminMode", "TargetOutboundUserName",
    "TargetOutboundDomainName", "VirtualAccount", "TargetLinkedLogonId", "ElevatedToken"],
  "microsoft-windows-security-auditing|4625": [...SECURITY_SUBJECT, "TargetUserSid", "TargetUserName", "TargetDomainName", "Status",
    "FailureReason", "SubStatus", "LogonType", "LogonProcessName", "AuthenticationPackageName", "WorkstationName", "TransmittedServices",
    "LmPackageName", "KeyLength", "ProcessId", "ProcessName", "IpAddress", "IpPort"],
  "microsoft-windows-security-auditing|4688": [...SECURITY_SUBJECT, "NewProcessId", "NewProcessName", "TokenElevationType", "ProcessId",
    "CommandLine", "TargetUserSid", "TargetUserName", "TargetDomainName", "TargetLogonId", "ParentProcessName", "MandatoryLabel"],
  "microsoft-windows-security-auditing|4698": [...SECURITY_SUBJECT, "TaskName", "TaskContent", "ClientProcessStartKey", "ClientProcessId",
    "ParentProcessId", "RpcCallClientLocality", "FQDN"],
};

/** The "Name: value" lines of a rendered Sysmon message, each where `fields` has no such name yet. */
function messageFields(message: string, fields: Obj): void {
  for (const line of message.split(/\r?\n/)) {
    const m = MESSAGE_FIELD.exec(line);
    if (m !== null && fields[m[1]!] === undefined) setField(fields, m[1]!, m[2]!);
  }
}

/**
 * Sysmon's field names and the ECS fields Elastic's pipelines move them to (the mapping pySigma's ECS pipeline for
 * Windows uses in the other direction).
 */
const ECS_TO_SYSMON: readonly [string, string][] = [
  ["Image", "process.executable"], ["CommandLine", "process.command_line"], ["OriginalFileName", "process.pe.original_file_name"],
  ["CurrentDirectory", "process.working_directory"], ["ProcessId", "process.pid"], ["ProcessGuid", "process.entity_id"],
  ["ParentImage", "process.parent.executable"], ["ParentCommandLine", "process.parent.command_line"],
  ["ParentProcessId", "process.parent.pid"], ["ParentProcessGuid", "process.parent.entity_id"],
  ["TargetFilename", "file.path"], ["TargetObject", "registry.path"], ["Details", "registry.data.strings"],
  ["ImageLoaded", "dll.path"], ["QueryName", "dns.question.name"], ["DestinationIp", "destination.ip"],
  ["DestinationPort", "destination.port"], ["DestinationHostname", "destination.domain"], ["SourceIp", "source.ip"],
  ["SourcePort", "source.port"],
];

/** The value at a dotted path of nested objects ("process.parent.executable"), or at that literal key. */
function pathValue(doc: Obj, path: string): unknown {
  if (path in doc) return doc[path];
  let v: unknown = doc;
  for (const part of path.split(".")) {
    if (!isObj(v)) return undefined;
    v = v[part];
  }
  return v;
}

function finish(fields: Obj, time: unknown): WindowsFields {
  const eventId = typeof fields.EventID === "number" ? fields.EventID : Number(fields.EventID);
  const written = typeof fields.Channel === "string" ? fields.Channel : undefined;
  // Windows Event Forwarding collects every source into ForwardedEvents; the provider tells the original channel.
  const channel = written?.toLowerCase() === "forwardedevents" && typeof fields.Provider_Name === "string" ? FORWARDED_FROM[fields.Provider_Name.toLowerCase()] ?? written : written;
  const logsource = windowsLogsource(channel, Number.isNaN(eventId) ? undefined : eventId, fields.EventType);
  if (channel?.toLowerCase() === "security" && eventId === 4688) auditProcessCreation(fields);
  const ms = typeof time === "string" ? Date.parse(time) : undefined;
  return { fields, logsource, time: ms === undefined || Number.isNaN(ms) ? undefined : ms };
}

/** Security 4688 under Sysmon's names, so process_creation rules read it (the field map of pySigma's windows-audit pipeline). */
function auditProcessCreation(f: Obj): void {
  const alias = (to: string, from: string): void => {
    if (f[to] === undefined && f[from] !== undefined) f[to] = f[from];
  };
  alias("Image", "NewProcessName");
  alias("ParentImage", "ParentProcessName");
  alias("ProcessId", "NewProcessId");
  // 4688 writes the integrity level as its SID, Sysmon by name, and rules use either ("High", "S-1-16-12288"): both.
  if (f.IntegrityLevel === undefined && typeof f.MandatoryLabel === "string") {
    const name = INTEGRITY_LEVELS[f.MandatoryLabel.toUpperCase()];
    f.IntegrityLevel = name === undefined ? f.MandatoryLabel : [name, f.MandatoryLabel];
  }
  if (f.User === undefined && typeof f.SubjectUserName === "string") {
    f.User = typeof f.SubjectDomainName === "string" ? `${f.SubjectDomainName}\\${f.SubjectUserName}` : f.SubjectUserName;
  }
}

/** Mandatory label SIDs (Windows integrity levels) and the names Sysmon writes for them. */
const INTEGRITY_LEVELS: Readonly<Record<string, string>> = {
  "S-1-16-0": "Untrusted",
  "S-1-16-4096": "Low",
  "S-1-16-8192": "Medium",
  "S-1-16-8448": "MediumPlus",
  "S-1-16-12288": "High",
  "S-1-16-16384": "System",
  "S-1-16-20480": "ProtectedProcess",
};

/** Providers whose events Windows Event Forwarding brings into ForwardedEvents, and the channel each writes to. */
const FORWARDED_FROM: Readonly<Record<string, string>> = {
  "microsoft-windows-sysmon": "Microsoft-Windows-Sysmon/Operational",
  "microsoft-windows-security-auditing": "Security",
  "microsoft-windows-powershell": "Microsoft-Windows-PowerShell/Operational",
  "powershell": "Windows PowerShell",
  "service control manager": "System",
  "microsoft-windows-windows defender": "Microsoft-Windows-Windows Defender/Operational",
  "microsoft-windows-taskscheduler": "Microsoft-Windows-TaskScheduler/Operational",
  "microsoft-windows-wmi-activity": "Microsoft-Windows-WMI-Activity/Operational",
  "microsoft-windows-bits-client": "Microsoft-Windows-Bits-Client/Operational",
  "microsoft-windows-dns-client": "Microsoft-Windows-DNS Client Events/Operational",
  "microsoft-windows-windows firewall with advanced security": "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall",
  "microsoft-windows-eventlog": "System",
};
