/**
 * Log source matching. Rules name a log source by product, category and service; events carry a channel and an
 * event id. The tables below are SigmaHQ's taxonomy (sigma-specification, appendix "Taxonomy" v2.1: Windows
 * categories and services), read backwards: from what an event is to which rule log sources it can satisfy.
 */
import type { EventLogsource } from "./event.ts";

export interface RuleLogsource {
  product?: string;
  category?: string;
  service?: string;
}

const SYSMON = "microsoft-windows-sysmon/operational";

/** Windows service name -> channels (lower-case). */
const WINDOWS_SERVICES: Record<string, string[]> = {
  application: ["application"],
  "application-experience": ["microsoft-windows-application-experience/program-telemetry", "microsoft-windows-application-experience/program-compatibility-assistant"],
  applocker: ["microsoft-windows-applocker/msi and script", "microsoft-windows-applocker/exe and dll", "microsoft-windows-applocker/packaged app-deployment", "microsoft-windows-applocker/packaged app-execution"],
  "appmodel-runtime": ["microsoft-windows-appmodel-runtime/admin"],
  "appxdeployment-server": ["microsoft-windows-appxdeploymentserver/operational"],
  "appxpackaging-om": ["microsoft-windows-appxpackaging/operational"],
  bitlocker: ["microsoft-windows-bitlocker/bitlocker management"],
  "bits-client": ["microsoft-windows-bits-client/operational"],
  capi2: ["microsoft-windows-capi2/operational"],
  "certificateservicesclient-lifecycle-system": ["microsoft-windows-certificateservicesclient-lifecycle-system/operational"],
  "codeintegrity-operational": ["microsoft-windows-codeintegrity/operational"],
  dhcp: ["microsoft-windows-dhcp-server/operational"],
  "diagnosis-scripted": ["microsoft-windows-diagnosis-scripted/operational"],
  "dns-client": ["microsoft-windows-dns client events/operational"],
  "dns-server": ["dns server"],
  "dns-server-analytic": ["microsoft-windows-dns-server/analytical"],
  "dns-server-audit": ["microsoft-windows-dns-server/audit"],
  "driver-framework": ["microsoft-windows-driverframeworks-usermode/operational"],
  "firewall-as": ["microsoft-windows-windows firewall with advanced security/firewall"],
  "hyper-v-worker": ["microsoft-windows-hyper-v-worker"],
  "iis-configuration": ["microsoft-iis-configuration/operational"],
  "kernel-event-tracing": ["microsoft-windows-kernel-eventtracing"],
  "kernel-shimengine": ["microsoft-windows-kernel-shimengine/operational", "microsoft-windows-kernel-shimengine/diagnostic"],
  ldap: ["microsoft-windows-ldap-client/debug"],
  "lsa-server": ["microsoft-windows-lsa/operational"],
  "msexchange-management": ["msexchange management"],
  ntfs: ["microsoft-windows-ntfs/operational"],
  ntlm: ["microsoft-windows-ntlm/operational"],
  openssh: ["openssh/operational"],
  powershell: ["microsoft-windows-powershell/operational", "powershellcore/operational"],
  "powershell-classic": ["windows powershell"],
  "printservice-admin": ["microsoft-windows-printservice/admin"],
  "printservice-operational": ["microsoft-windows-printservice/operational"],
  security: ["security"],
  "security-mitigations": ["microsoft-windows-security-mitigations/kernel mode", "microsoft-windows-security-mitigations/user mode"],
  sense: ["microsoft-windows-sense/operational"],
  "servicebus-client": ["microsoft-servicebus-client/operational", "microsoft-servicebus-client/admin"],
  "microsoft-servicebus-client": ["microsoft-servicebus-client/operational", "microsoft-servicebus-client/admin"],
  "shell-core": ["microsoft-windows-shell-core/operational"],
  "smbclient-security": ["microsoft-windows-smbclient/security"],
  "smbclient-connectivity": ["microsoft-windows-smbclient/connectivity"],
  "smbserver-connectivity": ["microsoft-windows-smbserver/connectivity"],
  sysmon: [SYSMON],
  system: ["system"],
  taskscheduler: ["microsoft-windows-taskscheduler/operational"],
  "terminalservices-localsessionmanager": ["microsoft-windows-terminalservices-localsessionmanager/operational"],
  vhdmp: ["microsoft-windows-vhdmp/operational"],
  windefend: ["microsoft-windows-windows defender/operational"],
  wmi: ["microsoft-windows-wmi-activity/operational"],
};

const SERVICE_BY_CHANNEL = new Map<string, string[]>();
for (const [service, channels] of Object.entries(WINDOWS_SERVICES)) {
  for (const ch of channels) SERVICE_BY_CHANNEL.set(ch, [...(SERVICE_BY_CHANNEL.get(ch) ?? []), service]);
}

/** Sysmon event id -> categories. Registry ids are split further by EventType below. */
const SYSMON_CATEGORIES: Record<number, string[]> = {
  1: ["process_creation"], 2: ["file_change"], 3: ["network_connection"], 4: ["sysmon_status"], 5: ["process_termination"],
  6: ["driver_load"], 7: ["image_load"], 8: ["create_remote_thread"], 9: ["raw_access_thread"], 10: ["process_access"],
  11: ["file_event"], 12: ["registry_event"], 13: ["registry_event", "registry_set"], 14: ["registry_event", "registry_rename"],
  15: ["create_stream_hash"], 16: ["sysmon_status"], 17: ["pipe_created"], 18: ["pipe_created"], 19: ["wmi_event"],
  20: ["wmi_event"], 21: ["wmi_event"], 22: ["dns_query"], 23: ["file_delete"], 24: ["clipboard_capture"],
  25: ["process_tampering"], 26: ["file_delete", "file_delete_detected"], 27: ["file_block_executable", "file_block"],
  28: ["file_block_shredding", "file_block"], 29: ["file_executable_detected"], 255: ["sysmon_error"],
};

/** Channel -> event id -> categories, for the non-Sysmon channels the taxonomy maps to categories. */
const CHANNEL_CATEGORIES: Record<string, Record<number, string[]>> = {
  // Security 4688 is the process creation audit event; the Windows reader gives it Sysmon's field names.
  security: { 4688: ["process_creation"] },
  "windows powershell": { 400: ["ps_classic_start"], 600: ["ps_classic_provider_start"], 800: ["ps_classic_script"] },
  "microsoft-windows-powershell/operational": { 4103: ["ps_module"], 4104: ["ps_script"] },
  "powershellcore/operational": { 4103: ["ps_module"], 4104: ["ps_script"] },
  // Sysmon for Linux writes the same ids to its own channel.
  "linux-sysmon/operational": { 1: ["process_creation"], 3: ["network_connection"], 5: ["process_termination"], 9: ["raw_access_read"], 11: ["file_event"], 23: ["file_delete"] },
};

/** channel -> event id (with EventType for id 12) -> log source; events share these frozen objects. */
const windowsCache = new Map<string | undefined, Map<string | number | undefined, EventLogsource>>();
let windowsCached = 0;

/** The Windows log source facts of an event from its channel, event id and (for registry events) EventType. */
export function windowsLogsource(channel: string | undefined, eventId: number | undefined, eventType?: unknown): EventLogsource {
  const idKey = eventId === 12 ? `12\u0000${String(eventType)}` : eventId;
  let byId = windowsCache.get(channel);
  let ls = byId?.get(idKey);
  if (ls === undefined) {
    ls = Object.freeze(computeWindowsLogsource(channel, eventId, eventType));
    // Channels and ids are few; the bound only guards against a stream of nonsense values.
    if (windowsCached < 10_000) {
      if (byId === undefined) windowsCache.set(channel, (byId = new Map()));
      byId.set(idKey, ls);
      windowsCached++;
    }
  }
  return ls;
}

function computeWindowsLogsource(channel: string | undefined, eventId: number | undefined, eventType: unknown): EventLogsource {
  const ch = (channel ?? "").toLowerCase();
  const services = SERVICE_BY_CHANNEL.get(ch) ?? [];
  let categories: string[] = [];
  if (eventId !== undefined) {
    if (ch === SYSMON) categories = [...(SYSMON_CATEGORIES[eventId] ?? [])];
    else categories = [...(CHANNEL_CATEGORIES[ch]?.[eventId] ?? [])];
  }
  if (ch === SYSMON && eventId === 12) {
    // Sysmon id 12 carries both key creation and deletion; its EventType tells which category it is.
    const t = String(eventType ?? "").toLowerCase();
    if (t === "createkey") categories.push("registry_add");
    else if (t === "deletekey" || t === "deletevalue") categories.push("registry_delete");
    else categories.push("registry_add", "registry_delete");
  }
  const product = ch.startsWith("linux-sysmon") ? "linux" : "windows";
  return { product, categories, services: product === "linux" ? ["sysmon"] : services };
}

/** The keys of the rule buckets an event with this log source may draw rules from. */
export function candidateKeys(ls: EventLogsource): string[] {
  const products = ls.product === undefined ? [""] : [ls.product, ""];
  const categories = ["", ...ls.categories];
  const services = ["", ...ls.services];
  const keys: string[] = [];
  for (const p of products) for (const c of categories) for (const s of services) keys.push(bucketKey({ product: p, category: c, service: s }));
  return keys;
}

export function bucketKey(ls: RuleLogsource): string {
  return `${(ls.product ?? "").toLowerCase()}|${(ls.category ?? "").toLowerCase()}|${(ls.service ?? "").toLowerCase()}`;
}

/** Whether a rule's log source admits an event's: every attribute the rule names must be one the event has. */
export function admits(rule: RuleLogsource, ev: EventLogsource | null): boolean {
  if (ev === null) return true;
  if (rule.product !== undefined && rule.product.toLowerCase() !== ev.product) return false;
  if (rule.category !== undefined && !ev.categories.includes(rule.category.toLowerCase())) return false;
  if (rule.service !== undefined && !ev.services.includes(rule.service.toLowerCase())) return false;
  return true;
}
