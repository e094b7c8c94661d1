// Output guarding through a streaming upstream: an OpenAI-style sequence of deltas, one of which splits a
// marking across chunks. The client must receive only text judged clean, and nothing after the marking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createOutputGuard } from "../../src/policy/index.ts";

async function* upstream(deltas: string[]): AsyncGenerator<string> {
  for (const d of deltas) {
    await new Promise((resolve) => setImmediate(resolve));
    yield d;
  }
}

/** What an SSE relay built on the guard sends: data events, then [DONE] or an error event. */
async function relay(deltas: string[]): Promise<string[]> {
  const guard = createOutputGuard({ ceiling: "NATO UNCLASSIFIED" });
  const events: string[] = [];
  const send = (text: string) => text !== "" && events.push(`data:${text}`);
  for await (const delta of upstream(deltas)) {
    const step = guard.push(delta);
    send(step.release);
    if (guard.withheld) {
      events.push(`error:classification_exceeded:${step.findings.map((f) => f.marking).join(",")}`);
      return events;
    }
  }
  const last = guard.end();
  if (guard.withheld) events.push(`error:classification_exceeded:${last.findings.map((f) => f.marking).join(",")}`);
  else {
    send(last.release);
    events.push("[DONE]");
  }
  return events;
}

test("a marking split across streamed chunks ends the stream with an error and is never sent", async () => {
  const events = await relay(["Here is the summary you asked for.\n", "The annex is marked\nNATO SEC", "RET\nThe convoy leaves at 0600 from", " the northern depot.\n"]);
  assert.equal(events.at(-1), "error:classification_exceeded:NATO SECRET");
  const sent = events.filter((e) => e.startsWith("data:")).map((e) => e.slice(5)).join("");
  assert.equal(sent, "Here is the summary you asked for.\nThe annex is marked");
  assert.ok(!sent.includes("SEC") && !sent.includes("convoy"));
});

test("a clean stream is released in full, line by line, then [DONE]", async () => {
  const deltas = ["The Secre", "tary General welcomed ", "the plan.\nMembers voted by secret", " ballot."];
  const events = await relay(deltas);
  assert.equal(events.at(-1), "[DONE]");
  assert.equal(events.filter((e) => e.startsWith("data:")).map((e) => e.slice(5)).join(""), deltas.join(""));
});

test("a marking spelled to evade, split over many one-character chunks, is still withheld", async () => {
  const text = "Result:\nN A T O  S-E-C-R-E-T\nbody";
  const events = await relay([...text]);
  assert.match(events.at(-1)!, /^error:classification_exceeded:NATO SECRET$/);
  assert.ok(!events.some((e) => e.includes("body")));
});
