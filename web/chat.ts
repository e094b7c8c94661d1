/**
 * The chat island: streams the answer through POST /console/chat/stream instead of posting the whole page.
 * Tokens are written as plain text into a region that is not live; only "answer complete", "stopped" or a
 * failure are announced (the #live status region). Stop aborts the request, which the console passes on to the
 * gateway and the gateway to the model server. At the end the server sends the answer as safe HTML.
 */
const form = document.getElementById("chat-form") as HTMLFormElement | null;
const stop = document.getElementById("stop") as HTMLButtonElement | null;
const send = document.getElementById("send") as HTMLButtonElement | null;
const section = document.getElementById("answer-section") as HTMLElement | null;
const answer = document.getElementById("answer") as HTMLElement | null;
const label = document.getElementById("ai-label") as HTMLElement | null;
const live = document.getElementById("live") as HTMLElement | null;
const purpose = document.getElementById("purpose") as HTMLSelectElement | null;

function announce(text: string): void {
  if (!live) return;
  live.textContent = "";
  // A fresh text node after clearing makes screen readers announce the same message twice in a row too.
  window.setTimeout(() => { live.textContent = text; }, 50);
}

function busy(on: boolean): void {
  if (send) send.disabled = on;
  if (stop) stop.disabled = !on;
  section?.setAttribute("aria-busy", on ? "true" : "false");
}

interface Frame { event: string; data: string }

function frames(buffer: string): { frames: Frame[]; rest: string } {
  const out: Frame[] = [];
  let rest = buffer;
  let i: number;
  while ((i = rest.indexOf("\n\n")) >= 0) {
    const raw = rest.slice(0, i);
    rest = rest.slice(i + 2);
    let event = "message";
    const data: string[] = [];
    for (const line of raw.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    out.push({ event, data: data.join("\n") });
  }
  return { frames: out, rest };
}

let controller: AbortController | null = null;

async function stream(): Promise<void> {
  if (!form || !section || !answer || !label) return;
  const messages = section.dataset;
  controller = new AbortController();
  section.hidden = false;
  answer.textContent = "";
  label.textContent = "";
  answer.classList.remove("stopped", "rendered");
  busy(true);
  announce(messages["streaming"] ?? "");
  const text = document.createTextNode("");
  answer.append(text);
  let outcome: "complete" | "stopped" | "failed" = "complete";
  try {
    const res = await fetch(form.dataset["stream"] ?? "", {
      method: "POST",
      body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
      signal: controller.signal,
      headers: { accept: "text/event-stream" },
    });
    if (!res.ok || !res.body) {
      const j = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(j.error?.message ?? `HTTP ${res.status}`);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parsed = frames(buf + value);
      buf = parsed.rest;
      for (const f of parsed.frames) {
        if (f.event === "label") label.textContent = (JSON.parse(f.data) as { text: string }).text;
        else if (f.event === "failure") {
          // A refusal mid-stream ends the answer: stop reading rather than wait for the server to close.
          void reader.cancel();
          throw new Error((JSON.parse(f.data) as { message?: string }).message ?? "failed");
        }
        // The server rendered the whole answer with its sanitizer (raw HTML escaped): it replaces the plain text.
        else if (f.event === "rendered") {
          answer.innerHTML = (JSON.parse(f.data) as { html: string }).html;
          answer.classList.add("rendered");
        }
        else if (f.data && f.data !== "[DONE]") {
          const chunk = JSON.parse(f.data) as { choices?: Array<{ delta?: { content?: string } }> };
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) text.appendData(delta);
        }
      }
    }
  } catch (err) {
    if (controller.signal.aborted) outcome = "stopped";
    else {
      outcome = "failed";
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = (messages["failed"] ?? "{message}").replace("{message}", (err as Error).message);
      answer.append(p);
    }
  } finally {
    busy(false);
    controller = null;
  }
  if (outcome === "stopped") answer.classList.add("stopped");
  answer.dataset["state"] = outcome;
  announce(outcome === "complete" ? messages["complete"] ?? "" : outcome === "stopped" ? messages["stopped"] ?? "" : answer.lastElementChild?.textContent ?? "");
}

form?.addEventListener("submit", (e) => {
  // A purpose held for review cannot stream: the form posts as it would without script.
  if (purpose?.selectedOptions[0]?.dataset["held"]) return;
  e.preventDefault();
  if (!controller) void stream();
});

stop?.addEventListener("click", () => controller?.abort());
export {};
