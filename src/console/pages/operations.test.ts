import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMetrics, usageByNation } from "./operations.ts";

test("Prometheus text becomes per-nation requests, refusals (any code but ok) and tokens", () => {
  const text = [
    "# HELP concord_requests_total Requests",
    "# TYPE concord_requests_total counter",
    'concord_requests_total{route="chat",nation="DEU",endpoint="deu",code="ok"} 7',
    'concord_requests_total{route="chat",nation="DEU",endpoint="",code="forbidden"} 2',
    'concord_requests_total{route="chat",nation="FRA",endpoint="",code="quota_exceeded"} 1',
    'concord_requests_total{route="chat",nation="",endpoint="",code="unauthenticated"} 5',
    'concord_tokens_total{nation="DEU"} 120',
    'concord_request_duration_seconds_bucket{route="chat",nation="DEU",le="0.1"} 9',
    'weird_metric{a="x\\"y"} NaN',
  ].join("\n");
  const samples = parseMetrics(text);
  assert.equal(samples.find((s) => s.name === "weird_metric"), undefined, "NaN is not a sample");
  assert.deepEqual(usageByNation(samples), [
    { nation: "DEU", requests: 9, refused: 2, tokens: 120 },
    { nation: "FRA", requests: 1, refused: 1, tokens: 0 },
  ]);
});
