import type { RuleLogsource } from "../logsource.ts";
import type { Detection } from "./detection.ts";

/** What alerts show of a rule. */
export interface RuleInfo {
  id: string;
  title: string;
  level: string;
  status: string;
  tags: string[];
  /** Correlation rules refer to rules by id or by this name. */
  name?: string;
  logsource: RuleLogsource;
  /** The file the rule came from, when it came from one. */
  file?: string;
}

export interface DetectionRule {
  kind: "detection";
  info: RuleInfo;
  detection: Detection;
  /** False when a correlation rule uses this rule and does not ask for its own alerts (`generate: false`). */
  emit: boolean;
}

export type CorrelationType = "event_count" | "value_count" | "value_sum" | "value_avg" | "temporal" | "temporal_ordered";

export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
}

export interface CorrelationRule {
  kind: "correlation";
  info: RuleInfo;
  type: CorrelationType;
  /** Ids or names of the rules (detection or correlation) it correlates, in order for temporal_ordered. */
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted; value_sum, value_avg: the number field aggregated. */
  field?: string;
  /** alias -> rule name or id -> field holding the alias's value in that rule's events. */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
  emit: boolean;
}

export type Rule = DetectionRule | CorrelationRule;

/** A rule that was not loaded, and why. */
export interface UnsupportedEntry {
  id: string;
  title?: string;
  file?: string;
  reason: string;
}

export interface RuleSource {
  /** Where the text came from (shown in reports). */
  path: string;
  text: string;
}
