/**
 * The console's one way of writing HTML: a tagged template that escapes every interpolated value unless it is
 * already `Html` (the result of another `html` template or of `trusted()`). Arrays are joined, null, undefined
 * and false render nothing, so conditional parts read naturally.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);
}

function render(v: Interpolation): string {
  if (v instanceof Html) return v.text;
  if (v === null || v === undefined || v === false) return "";
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i] as Interpolation) + (strings[i + 1] ?? "");
  return new Html(out);
}

/**
 * Marks text produced by a sanitizer of ours (the markdown renderer, the search snippet rebuilder) as HTML.
 * Never pass it anything a caller or a model wrote without going through one of those.
 */
export function trusted(text: string): Html {
  return new Html(text);
}
