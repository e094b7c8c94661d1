import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Locale } from "./i18n/index.ts";

/**
 * Console sessions. The browser holds only a random 256-bit id in an HttpOnly cookie; the bearer token and the
 * CSRF token live here, server-side. Kept in this process's memory: a restart signs everyone out, and replicas
 * behind a load balancer need sticky sessions (see docs/console.md).
 */
export interface SignedIn {
  readonly token: string;
  readonly nation: string;
  readonly subject: string;
  readonly roles: readonly string[];
  /** When the bearer token expires (ms since epoch): the session ends with it. */
  readonly tokenExpiresAt: number;
}

export interface Session {
  readonly id: string;
  readonly csrf: string;
  lastSeen: number;
  locale?: Locale;
  user?: SignedIn;
  /** An OpenID Connect sign-in under way: what the callback must check. */
  pendingOidc?: { nation: string; verifier: string; state: string; nonce: string; startedAt: number };
  /** A one-shot message shown on the next page (after a redirect); a catalog key, or text already translated. */
  flash?: string;
}

export const newId = (): string => randomBytes(32).toString("base64url");

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private lastSweep = 0;

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxSessions = 100_000,
  ) {}

  create(from?: Pick<Session, "locale">): Session {
    this.sweep();
    const s: Session = { id: newId(), csrf: newId(), lastSeen: this.now(), ...(from?.locale ? { locale: from.locale } : {}) };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of this id, touched; undefined (and forgotten) when idle too long or its token expired. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.now();
    if (now - s.lastSeen > this.idleMs || (s.user && s.user.tokenExpiresAt <= now)) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  /**
   * A new id and CSRF token for a session whose privilege changes (sign-in): an id planted before sign-in
   * (session fixation) is worthless afterwards.
   */
  rotate(old: Session, user: SignedIn): Session {
    this.sessions.delete(old.id);
    const s: Session = { id: newId(), csrf: newId(), lastSeen: this.now(), user, ...(old.locale ? { locale: old.locale } : {}) };
    this.sessions.set(s.id, s);
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000 && this.sessions.size < this.maxSessions) return;
    this.lastSweep = now;
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs || (s.user && s.user.tokenExpiresAt <= now)) this.sessions.delete(id);
    // Fail closed under a flood of anonymous sessions: drop the oldest rather than grow without bound.
    while (this.sessions.size >= this.maxSessions) {
      const first = this.sessions.keys().next().value;
      if (first === undefined) break;
      this.sessions.delete(first);
    }
  }
}
