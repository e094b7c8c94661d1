/**
 * Raised while compiling a rule the engine cannot evaluate faithfully. The loader catches it and reports the
 * rule (id and reason) instead of running it half-understood.
 */
export class UnsupportedRule extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "UnsupportedRule";
  }
}
