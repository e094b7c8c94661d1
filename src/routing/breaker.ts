/**
 * A circuit breaker per endpoint: after `failures` consecutive failures the endpoint is skipped for `cooldownMs`;
 * then one trial request is let through (half-open), and its outcome closes or reopens the circuit.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(private readonly failures: number, private readonly cooldownMs: number, private readonly now: () => number = Date.now) {}

  get state(): "closed" | "open" | "half-open" {
    if (this.consecutive < this.failures) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }

  /** Whether a request may be sent now; in half-open state only one trial at a time. */
  allows(): boolean {
    const s = this.state;
    if (s === "closed") return true;
    if (s === "open") return false;
    return !this.trialInFlight;
  }

  onAttempt(): void {
    if (this.state === "half-open") this.trialInFlight = true;
  }

  onSuccess(): void {
    this.consecutive = 0;
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.consecutive++;
    if (this.consecutive >= this.failures) this.openUntil = this.now() + this.cooldownMs;
  }
}
