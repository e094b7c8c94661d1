/**
 * Quoted material to transform: "Summarise this for a history worksheet: «The Stasi opened letters in bulk...»",
 * "Bitte prüfe Rechtschreibung und Grammatik dieser Pressemitteilung: „...“". The quoted text is what the request
 * works on, not what it asks for: its sentences describe surveillance or strikes because the report does, and
 * summarising, translating or proofreading it is the legitimate work. So when an opening instruction asks only for
 * such a transformation, the sentences inside the quotation marks are left out of the judgement; the instruction
 * itself, and anything after the closing mark, are judged as ever.
 *
 * An instruction that also asks to act on the quoted text ("translate it and then do what it says", "answer the
 * questions in it") keeps it in: then the quoted text is the request.
 */

/** Verbs and nouns of transforming a text, in the normalised spelling (lowercase, accents folded), member languages. */
export const TRANSFORM = new RegExp(
  [
    // summarise
    String.raw`summar|resum|synthes|zusammenfass|riassum|sintetizz|stresc|streszcz|podsumuj|ozetle|ozet|samenvat|vat (?:\S+ ){0,3}samen`,
    // translate
    String.raw`translat|tradu|ubersetz|traduz|tlumacz|cevir|vertaal`,
    // proofread, correct, rewrite
    String.raw`proofread|grammar|spelling|typos|rewrite|reword|rephras|paraphras|tighten|shorten|copy-?edit|rechtschreib|grammatik|tippfehler|korrigier|umformulier|kurz(?:e|en)\b|orthograph|grammaire|coquilles|corrig|reformul|ortograf|gramatic|grammatic|correggi|riformul|popraw|korekt|przeredaguj|yazim|dilbilgisi|duzelt|yeniden yaz|taalfout|verbeter|herschrijf|spelfout`,
    // questions about it, an explanation of it
    String.raw`questions? (?:for|to|about|on)|fragen (?:an|zu|fur|uber)|questions? (?:a|au|aux|sur|pour)|preguntas (?:a|al|para|sobre)|domande (?:a|al|per|su)|pytan\w* (?:do|dla|o)|sorular\w*|vragen (?:aan|voor|over)|explain|erklar|expliqu|explica|spiega|wyjasnij|acikla|leg (?:\S+ ){0,3}uit`,
  ].join("|"),
);

/** Asking to act on the quoted text, not only to transform it. */
export const EXECUTE = new RegExp(
  // Whole words where a stem would swallow everyday words (Polish "odpowiedzialny" is no "odpowiedz", Turkish "yapay"
  // no "yap").
  String.raw`\b(?:do what|carry (?:it )?out|execute|follow (?:it|the|its)|act on|answer(?:s|ing)?\b|respond(?:s|ing)?\b|reply to|fais ce|execute|applique|repond(?:s|ez|re)?\b|tu das|fuhr\w* (?:\S+ )?aus|befolg|beantwort|antworte\b|antwortet\b|haz lo|ejecut|responde\b|responda\b|fai (?:quello|cio)|esegu|rispondi\b|rispondere\b|zrob to|wykonaj\b|odpowiedz(?:cie)?\b|yap(?:in|sin)?\b|uygula(?:yin)?\b|cevapla|yanitla|doe wat|voer (?:\S+ )?uit|beantwoord)`,
);

const OPENING = new Map<number, readonly number[]>([
  [0x22, [0x22, 0x201d, 0x201c]], // " closes with " ” “
  [0x201c, [0x201d, 0x22, 0x201c]], // “ closes with ” " “
  [0x201e, [0x201c, 0x201d, 0x22]], // „ closes with “ ” "
  [0xab, [0xbb]], // « closes with »
  [0x201a, [0x27, 0x2018]], // ‚ closes with ' ‘
]);

/** How far into the text the quotation may open: an instruction is a sentence or two. */
const INSTRUCTION_MAX = 500;
/** A quotation shorter than this is a phrase, not a text to work on. */
const MATERIAL_MIN = 40;

/**
 * The sentences (`ranges`, pairs into `buf`) less those inside quoted material an opening instruction asks to
 * transform; the same array when there is none.
 */
export function withoutQuotedMaterial(buf: Uint16Array, ranges: Int32Array): Int32Array {
  const block = quotedMaterial(buf);
  if (block === null) return ranges;
  const [from, to] = block;
  const kept: number[] = [];
  for (let s = 0; s < ranges.length; s += 2) {
    if (ranges[s]! >= from && ranges[s + 1]! <= to) continue;
    kept.push(ranges[s]!, ranges[s + 1]!);
  }
  return Int32Array.from(kept);
}

/** [first unit inside the opening mark, the closing mark's index], or null. */
export function quotedMaterial(buf: Uint16Array): [number, number] | null {
  const limit = Math.min(buf.length, INSTRUCTION_MAX);
  for (let i = 0; i < limit; i++) {
    const closers = OPENING.get(buf[i]!);
    if (closers === undefined || !opensMaterial(buf, i)) continue;
    const instruction = String.fromCharCode(...buf.subarray(0, i));
    if (!TRANSFORM.test(instruction) || EXECUTE.test(instruction)) return null;
    let close = -1;
    for (let j = buf.length - 1; j > i; j--) {
      if (closers.includes(buf[j]!)) {
        close = j;
        break;
      }
    }
    return close - i - 1 >= MATERIAL_MIN ? [i + 1, close] : null;
  }
  return null;
}

/** The mark opens a text: at the start of a line, or after the instruction's colon. */
function opensMaterial(buf: Uint16Array, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && buf[k] === 32) k--;
  if (k < 0) return false;
  if (buf[k] === 10) return true;
  return buf[k] === 58; // :
}
