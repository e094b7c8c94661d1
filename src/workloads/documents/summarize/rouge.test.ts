import { test } from "node:test";
import assert from "node:assert/strict";
import { lcsPositions, rouge, rougeL, rougeN, tokenize } from "./rouge.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

// Lin (2004) §3.1: S1 "police killed the gunman" (reference), S2 "police kill the gunman", S3 "the gunman kill police".
const S1 = tokenize("police killed the gunman");
const S2 = tokenize("police kill the gunman");
const S3 = tokenize("the gunman kill police");

test("ROUGE-L of Lin's example: S2 scores 3/4 and S3 scores 1/2 against S1", () => {
  const l2 = rougeL([S2], [S1]);
  close(l2.recall, 3 / 4);
  close(l2.precision, 3 / 4);
  close(l2.f, 3 / 4);
  close(rougeL([S3], [S1]).f, 1 / 2);
});

test("ROUGE-1 and ROUGE-2 of Lin's example, counted by hand", () => {
  // Unigrams shared with S1: police, the, gunman (3 of 4). Bigrams of S1: police-killed, killed-the, the-gunman;
  // S2 shares only the-gunman (1 of 3); S3 also only the-gunman.
  close(rougeN(S2, S1, 1).recall, 3 / 4);
  close(rougeN(S2, S1, 2).recall, 1 / 3);
  close(rougeN(S2, S1, 2).precision, 1 / 3);
  close(rougeN(S3, S1, 1).recall, 3 / 4);
  close(rougeN(S3, S1, 2).recall, 1 / 3);
});

test("n-gram counts are clipped: a repeated word counts no more often than the reference has it", () => {
  const s = rougeN(tokenize("the the the the"), tokenize("the cat sat on the mat"), 1);
  close(s.recall, 2 / 6);
  close(s.precision, 2 / 4);
});

test("summary-level ROUGE-L takes the union of LCS hits per reference sentence (Lin 2004 §3.2 example)", () => {
  // r = w1 w2 w3 w4 w5; c1 = w1 w2 w6 w7 w8; c2 = w1 w3 w8 w9 w5. LCS(r,c1) = w1 w2, LCS(r,c2) = w1 w3 w5,
  // union = w1 w2 w3 w5: 4 hits. R = 4/5, P = 4/10.
  const r = ["w1", "w2", "w3", "w4", "w5"];
  const c1 = ["w1", "w2", "w6", "w7", "w8"];
  const c2 = ["w1", "w3", "w8", "w9", "w5"];
  const s = rougeL([c1, c2], [r]);
  close(s.recall, 4 / 5);
  close(s.precision, 4 / 10);
  close(s.f, (2 * 0.8 * 0.4) / 1.2);
  assert.deepEqual(lcsPositions(r, c2), [0, 2, 4]);
});

test("identical texts score 1 and disjoint texts score 0 on every measure", () => {
  const same = rouge(["Congress appropriates funds.", "The Secretary shall report."], ["Congress appropriates funds.", "The Secretary shall report."]);
  for (const s of [same.rouge1, same.rouge2, same.rougeL]) close(s.f, 1);
  const none = rouge(["alpha beta"], ["gamma delta"]);
  for (const s of [none.rouge1, none.rouge2, none.rougeL]) close(s.f, 0);
});

test("stemming lets inflected forms match (ROUGE-1.5.5 -m)", () => {
  close(rouge(["the police kills"], ["the police killed"]).rouge1.recall, 2 / 3);
  close(rouge(["the police kills"], ["the police killed"], { stem: true }).rouge1.recall, 1);
});
