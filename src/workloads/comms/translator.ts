/**
 * One interface over the translation engines, and the choice between them: the first engine, in the order the
 * caller gives (the gateway puts its LLM first when a model is configured), that can serve the pair.
 */
import { InvalidRequest } from "../../errors/index.ts";
import { toIso3 } from "./languages.ts";
import { protectTerms, type Glossary } from "./terminology.ts";

export type EngineName = "apertium" | "llm";

/** How an engine would serve a pair: directly, through pivot languages, or not at all. */
export interface Route {
  engine: EngineName;
  /** ISO 639-3 languages from source to target; more than two means pivoting. */
  path: string[];
}

export interface Translator {
  readonly engine: EngineName;
  /** The route for a pair (ISO 639-3), or undefined when this engine cannot serve it now. */
  route(from: string, to: string): Promise<Route | undefined>;
  /**
   * Translates texts already protected by placeholders (⟦n⟧), keeping each placeholder and the order of the
   * texts. Throws UpstreamError when the engine fails.
   */
  translateBatch(texts: readonly string[], route: Route): Promise<string[]>;
  /** What would make an unservable pair servable (packages to install), for the refusal message. */
  explain?(from: string, to: string): Promise<string>;
}

export interface TranslateOptions {
  from: string;
  to: string;
  engines: readonly Translator[];
  glossary?: Glossary;
  /** Protect acronyms (default true). */
  acronyms?: boolean;
}

export interface Translation {
  text: string;
  route: Route;
}

/** Finds the first engine that can serve the pair, or throws naming what would make it servable. */
export async function chooseRoute(from: string, to: string, engines: readonly Translator[]): Promise<{ engine: Translator; route: Route }> {
  for (const engine of engines) {
    const route = await engine.route(from, to);
    if (route) return { engine, route };
  }
  const names = engines.map((e) => e.engine).join(", ") || "none";
  const explainer = engines.find((e) => e.explain);
  const hint = explainer?.explain ? await explainer.explain(from, to) : "configure an LLM endpoint for translation.";
  throw new InvalidRequest(`no translation engine can serve ${from}→${to} (engines: ${names}): ${hint}`, { param: "to" });
}

/** Translates texts between member languages (639-1 or 639-3 codes), protecting terminology. */
export async function translateTexts(texts: readonly string[], opts: TranslateOptions): Promise<{ texts: string[]; route: Route }> {
  const from = toIso3(opts.from, "from");
  const to = toIso3(opts.to, "to");
  if (from === to) return { texts: [...texts], route: { engine: opts.engines[0]?.engine ?? "apertium", path: [from] } };
  const { engine, route } = await chooseRoute(from, to, opts.engines);
  const protectedTexts = texts.map((t) => protectTerms(t, { glossary: opts.glossary ?? [], acronyms: opts.acronyms ?? true }));
  const out = await engine.translateBatch(protectedTexts.map((p) => p.text), route);
  return { texts: out.map((t, i) => (protectedTexts[i] as (typeof protectedTexts)[number]).restore(t, to)), route };
}

/** Translates one text; see translateTexts. */
export async function translate(text: string, opts: TranslateOptions): Promise<Translation> {
  const { texts, route } = await translateTexts([text], opts);
  return { text: texts[0] as string, route };
}
