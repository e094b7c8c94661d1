/**
 * The events of the Sigma benchmarks: the corpus's regression events (Windows Event trees) replicated into distinct
 * variants, ids, times, hosts and users varied, nine in ten made benign by swapping process names and command
 * lines for common ones.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readRecords, openInput } from "../../src/workloads/cyber/input/read.ts";

export const BENIGN: Array<[string, string]> = [
  ["C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\notepad.exe\" C:\\Users\\Public\\notes.txt"],
  ["C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US"],
  ["C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE"],
  ["C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle"],
  ["C:\\Program Files\\Mozilla Firefox\\firefox.exe", "\"C:\\Program Files\\Mozilla Firefox\\firefox.exe\" -contentproc --channel=1 tab"],
  ["C:\\Windows\\System32\\RuntimeBroker.exe", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding"],
];

/** `count` distinct variants of the corpus's regression events, as compact JSON lines. */
export async function benchEventLines(corpus: string, count: number): Promise<{ lines: string[]; templates: number }> {
  const templates = await regressionEvents(join(corpus, "regression_data"));
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify(variant(templates[i % templates.length]!, i)));
  return { lines, templates: templates.length };
}

/** Every event of the regression cases (Windows Event trees). */
export async function regressionEvents(root: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".json")) {
        for await (const batch of readRecords(openInput(p))) for (const r of batch) out.push(JSON.parse(r.text) as Record<string, unknown>);
      }
    }
  };
  await walk(root);
  if (out.length === 0) throw new Error(`no regression events under ${root}`);
  return out;
}


/** A copy of the event with ids and times varied; nine in ten get a benign process. */
export function variant(template: Record<string, unknown>, i: number): unknown {
  const ev = structuredClone(template) as { Event: { System: Record<string, unknown>; EventData?: Record<string, unknown> } };
  const sys = ev.Event.System;
  sys.EventRecordID = 100000 + i;
  sys.Computer = `ws-${i % 997}.corp.example`;
  sys.TimeCreated = { "#attributes": { SystemTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() } };
  const data = ev.Event.EventData;
  if (data) {
    if ("ProcessId" in data) data.ProcessId = 1000 + (i % 60000);
    if ("ProcessGuid" in data) data.ProcessGuid = `{${(i * 2654435761 >>> 0).toString(16).padStart(8, "0")}-0000-0000-0000-000000000000}`;
    if ("User" in data) data.User = `CORP\\user${i % 500}`;
    if ("ParentUser" in data) data.ParentUser = data.User;
    if (i % 10 !== 0) {
      const [image, cmd] = BENIGN[i % BENIGN.length]!;
      for (const k of ["Image", "SourceImage", "NewProcessName"]) if (k in data) data[k] = image;
      for (const k of ["CommandLine", "ScriptBlockText", "TargetFilename", "TargetObject", "PipeName", "QueryName", "ImageLoaded"]) {
        if (k in data) data[k] = `${cmd} ${i}`;
      }
      const name = image.split("\\").pop()!;
      if ("OriginalFileName" in data) data.OriginalFileName = name;
      if ("ParentImage" in data) data.ParentImage = "C:\\Windows\\explorer.exe";
      if ("ParentCommandLine" in data) data.ParentCommandLine = "C:\\Windows\\Explorer.EXE";
      if ("Description" in data) data.Description = name;
      if ("Product" in data) data.Product = "Microsoft\u00ae Windows\u00ae Operating System";
      if ("Company" in data) data.Company = "Microsoft Corporation";
      if ("Hashes" in data) data.Hashes = `SHA256=${(i * 2654435761 >>> 0).toString(16).padStart(64, "0")}`;
    }
  }
  return ev;
}
