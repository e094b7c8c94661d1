/** The alert Concord raises: one per (rule, event), or one per satisfied correlation. Serialised as a JSON line. */
export interface AlertRule {
  id: string;
  title: string;
  level: string;
  status: string;
  tags: string[];
}

export interface AlertSource {
  file: string;
  /** 1-based line of the event in its file (a file holding one JSON document is line 1). */
  line: number;
}

export interface CorrelationDetails {
  type: string;
  /** The group-by fields and the values they shared. */
  group: Record<string, unknown>;
  /** The events (by rule and place) that satisfied the correlation; at most the last 100. */
  events: Array<{ rule: string; source: AlertSource; time: string }>;
  count: number;
}

export interface Alert {
  rule: AlertRule;
  source: AlertSource;
  /** Fields of the matching selections and their values in the event. */
  matched: Record<string, unknown>;
  /** The event as read (the original document for JSON inputs, parsed fields otherwise); null for correlations. */
  event: unknown;
  correlation?: CorrelationDetails;
}
