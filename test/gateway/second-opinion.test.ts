import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import type { RunningServer } from "../../src/server/index.ts";

// guard.second_opinion: a model asked about requests the prohibited-use rules allowed. It may only add refusals,
// is asked only within the nation's residency, and fails closed unless the operator chose otherwise.
describe("the prohibited-use second opinion", () => {
  let model: StubUpstream, judge: StubUpstream, foreignJudge: StubUpstream;
  let closed: RunningServer, open: RunningServer, deu: string, nor: string, deuOpen: string;
  const ask = (gw: RunningServer, token: string, content: string) =>
    call(gw.url, "/v1/chat/completions", { token, body: { model: "m", messages: [{ role: "user", content }] } });

  before(async () => {
    model = await startStubUpstream({ answer: "Done." });
    judge = await startStubUpstream();
    foreignJudge = await startStubUpstream();
    const nations = { DEU: { residency: ["DEU"], identity: "demo" as const }, NOR: { residency: ["NOR"], identity: "demo" as const } };
    const endpoints = [
      { id: "model", url: model.url, jurisdiction: "DEU", models: ["m"] },
      { id: "model-nor", url: model.url, jurisdiction: "NOR", models: ["m"] },
      { id: "judge-deu", url: judge.url, jurisdiction: "DEU", models: ["judge"] },
      { id: "judge-usa", url: foreignJudge.url, jurisdiction: "USA", models: ["judge"] },
    ];
    closed = await startGateway({ network: { name: "t", jurisdiction: "DEU" }, nations, endpoints, guard: { second_opinion: { model: "judge" } } });
    open = await startGateway({ network: { name: "t", jurisdiction: "DEU" }, nations, endpoints, guard: { second_opinion: { model: "judge", on_error: "allow" } } });
    deu = await mintDemoToken(closed.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
    nor = await mintDemoToken(closed.gateway.demoKeys.get("NOR")!, { nation: "NOR", role: "analyst" });
    deuOpen = await mintDemoToken(open.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst" });
  });
  after(async () => {
    await closed.close(); await open.close();
    await model.close(); await judge.close(); await foreignJudge.close();
  });
  const reset = (verdict: string) => {
    for (const s of [model, judge, foreignJudge]) { s.hits.length = 0; s.mode = "ok"; }
    judge.answer = verdict;
  };

  test("the model's refusal is a 403 prohibited_use with its reason, and the request never reaches the model it named", async () => {
    reset('{"prohibited": true, "reason": "targeting"}');
    const r = await ask(closed, deu, "Tell me about the three depots north of the river.");
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "prohibited_use");
    assert.deepEqual([r.json.error.reason, r.json.error.rule], ["targeting", "second_opinion"]);
    assert.equal(model.hits.length, 0);
    assert.equal(judge.hits.length, 1);
    const question = JSON.stringify(judge.hits[0]!.body);
    assert.match(question, /three depots north of the river/, "the judge saw the request text");
  });

  test("the model's approval lets the request through to its own model", async () => {
    reset('{"prohibited": false, "reason": null}');
    const r = await ask(closed, deu, "Summarise the fuel report for the northern depots.");
    assert.equal(r.status, 200);
    assert.equal(r.json.choices[0].message.content, "Done.");
    assert.equal(judge.hits.length, 1);
    assert.equal(model.hits.length, 1);
    assert.equal(model.hits[0]!.body["model"], "m");
  });

  test("a request the rules refuse is refused without asking the model", async () => {
    reset('{"prohibited": false, "reason": null}');
    const r = await ask(closed, deu, "Identify every protester in these photos and give me their home addresses.");
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, "prohibited_use");
    assert.notEqual(r.json.error.rule, "second_opinion");
    assert.equal(judge.hits.length, 0);
  });

  test("the question stays in the nation's residency: with the judge only abroad, NOR's request fails closed and nothing reaches the USA", async () => {
    reset('{"prohibited": false, "reason": null}');
    const r = await ask(closed, nor, "Summarise the fuel report.");
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, "guard_unavailable");
    assert.equal(foreignJudge.hits.length, 0);
    assert.equal(judge.hits.length, 0);
    assert.equal(model.hits.length, 0);
  });

  test("a failing or unreadable judge refuses with 503 guard_unavailable, or allows where on_error says allow", async () => {
    reset('{"prohibited": false, "reason": null}');
    judge.mode = "fail500";
    const down = await ask(closed, deu, "Summarise the fuel report.");
    assert.equal(down.status, 503);
    assert.equal(down.json.error.code, "guard_unavailable");
    assert.equal(model.hits.length, 0);
    reset("Sure! Happy to help with that.");
    const prose = await ask(closed, deu, "Summarise the fuel report.");
    assert.equal(prose.status, 503);
    reset("Sure! Happy to help with that.");
    const allowed = await ask(open, deuOpen, "Summarise the fuel report.");
    assert.equal(allowed.status, 200);
    assert.equal(model.hits.length, 1);
  });

  test("the refusal message names neither the request text nor the judge's answer", async () => {
    reset('{"prohibited": true, "reason": "mass_surveillance"}');
    const r = await ask(closed, deu, "Compile a dossier on every reporter who covered the summit.");
    assert.equal(r.status, 403);
    assert.ok(!r.text.includes("dossier"));
    assert.ok(!r.text.includes('"prohibited": true'));
  });
});
