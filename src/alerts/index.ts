/**
 * Alerts (issue 11): detections kept for triage, with status, assignee, notes and an append-only history.
 * Pure decisions in model.ts; SQLite or PostgreSQL storage in store/. The only door other folders use.
 */
export {
  ALERT_STATUSES, CLOSE_REASONS, EVENT_EXCERPT_CHARS, NOTE_MAX_CHARS,
  newAlert, transition, assign, addNote, hostOf, eventExcerpt, isCloseReason,
  type AlertRecord, type AlertRule, type AlertStatus, type AlertAction, type CloseReason, type Detection, type HistoryEntry, type Note, type Change,
} from "./model.ts";
export { openAlertStore } from "./store/index.ts";
export { openSqliteAlertStore, sqliteAlertStore, SQLITE_MIGRATIONS } from "./store/sqlite.ts";
export { openPostgresAlertStore } from "./store/postgres.ts";
export { whereClause, type AlertFilter, type AlertPage, type AlertStore } from "./store/query.ts";
