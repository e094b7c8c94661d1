import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { MinuteRates } from "./rates.ts";

/** Prometheus metrics of one gateway process; a registry per instance so tests can run several. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "concord_requests_total",
    help: "Requests answered, by route, nation, endpoint and error code (ok when allowed)",
    labelNames: ["route", "nation", "endpoint", "code"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "concord_request_duration_seconds",
    help: "Time from request to the end of the response, by route and nation",
    labelNames: ["route", "nation"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: "concord_decisions_total",
    help: "Pipeline decisions by stage, decision and reason",
    labelNames: ["stage", "decision", "reason", "nation"] as const,
    registers: [this.registry],
  });
  readonly upstreamFailures = new Counter({
    name: "concord_upstream_failures_total",
    help: "Failed attempts against an endpoint (the request may have succeeded on another)",
    labelNames: ["endpoint", "jurisdiction"] as const,
    registers: [this.registry],
  });
  readonly outstanding = new Gauge({
    name: "concord_endpoint_outstanding_requests",
    help: "Requests in flight per endpoint",
    labelNames: ["endpoint"] as const,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "concord_tokens_total",
    help: "Model tokens charged to each nation's budget",
    labelNames: ["nation"] as const,
    registers: [this.registry],
  });
  readonly quotaFallback = new Gauge({
    name: "concord_quota_fallback",
    help: "1 while shared quotas are unreachable and this process counts alone",
    registers: [this.registry],
  });

  /** Requests and refusals per nation per minute, the last hour (the operations API's rates). */
  readonly minutes = new MinuteRates();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "concord_process_" });
  }
}
