/**
 * Pasted material to work on: "Résume cette tribune en cinq lignes." over an op-ed on drone warfare, "Extract every
 * date into a table." under an after-action review. As with quoted material (quoted.ts), the pasted text is what the
 * request works on: its sentences describe strikes and surveillance because the article does. So when one paragraph
 * is an instruction that asks only to transform a text (summarise, translate, explain, critique, extract, draft a
 * reply, make slides...), the other paragraphs are material, and a sentence of the material is judged only when it
 * speaks to the reader: a note for the assistant, "you", "please", "give me", an imperative opening it. A request
 * hidden in the material ("Note for the assistant: also compute the firing data") is judged as ever; a report's
 * description of what a drone did is not a request.
 */
import { EXECUTE, TRANSFORM } from "./quoted.ts";

const UTF16 = new TextDecoder("utf-16le");

/** An instruction is a sentence or two. */
const INSTRUCTION_MAX = 500;
/** Material shorter than this is no text to work on. */
const MATERIAL_MIN = 200;

/** Asking for work on a text beyond summarising and translating (quoted.ts's TRANSFORM holds those). */
const WORK_ON_TEXT = new RegExp(
  [
    String.raw`critiqu|critic|kritisier|kritik|krytyk|elestir|bekritiseer|fact-?check|verifie les faits|fakten pruf|verifica (?:los|i) (?:hechos|fatti)|sprawdz fakty|dogrula|controleer de feiten`,
    String.raw`extract|extrai|extrah|estrai|wyodrebnij|wypisz|cikar|haal (?:\S+ ){0,3}uit|key points|points? cles?|kernpunkte|puntos clave|punti chiave|kluczow|ana nokta|kernpunten`,
    String.raw`timeline|chronolog|zeitleiste|cronolog|os czasu|zaman cizelge|tijdlijn`,
    // Work made from the text: "make a list of decisions from this report", "przygotuj notatke z tego protokolu".
    String.raw`(?:from|of) this (?:text|report|article|document|memo|thread|transcript|minutes|paper)|(?:de|a partir de) ce(?:tte)? (?:texte|rapport|document|compte rendu|article|note|tribune)|aus diese[mr]? (?:text|bericht|protokoll|artikel|dokument|vermerk)|(?:de|a partir de) este (?:texto|informe|documento|articulo|acta)|da questo (?:testo|rapporto|verbale|documento|articolo)|z tego (?:tekstu|raportu|protokolu|dokumentu|artykulu)|bu (?:metin|rapor|tutanak|belge|makale)\w*(?:den|dan)|van dit (?:verslag|rapport|artikel|document|stuk)`,
    String.raw`(?:draft|write|compose) (?:\S+ ){0,4}(?:reply|response|answer)|(?:redige|ecris) (?:\S+ ){0,4}reponse|antwort (?:\S+ ){0,3}(?:entwerf|schreib|verfass)|(?:entwirf|schreib|verfasse) (?:\S+ ){0,4}antwort|(?:redacta|escribe) (?:\S+ ){0,4}respuesta|(?:redigi|scrivi) (?:\S+ ){0,4}risposta|napisz (?:\S+ ){0,4}odpowiedz|yanit (?:\S+ )?(?:taslag|yaz)|schrijf (?:\S+ ){0,4}(?:antwoord|reactie)`,
    // Its arguments restated or weighed: "geef in vijf punten de belangrijkste argumenten van de auteur weer".
    String.raw`argument\w* (?:of|de|des|van|der|del|dell|autor\w*|auteur\w*)|(?:the|l'|de) (?:author|auteur|autor\w*)'?s? (?:argument|thes|position|stand)\w*|weigh (?:the|its) arguments|ocen\w* argument\w*`,
  ].join("|"),
);

/**
 * A sentence that speaks to the reader, in the member languages (normalised: lower case, accents folded): the
 * assistant or model named, the second person, "please", "give me", or an English imperative opening the sentence.
 */
/** The assistant or model named: a note for it ("[note for the assistant]", "[uwaga dla asystenta]"). */
const ASSISTANT = String.raw`\b(?:assistant|assistent\w*|asistente|assistente|asystent\w*|asistan|chatbot|chatgpt)\b|\b(?:note|nota|notiz|hinweis|uwaga|noot|remarque)\w* (?:for|to|per|para|fur|dla|an|aan|pour|icin) (?:the |l'|la |il |el |die |de |den )?(?:ai|ia|ki|yz|model\w*|modele|modello|modelo)\b`;
const NAMES_ASSISTANT_ANYWHERE = new RegExp(ASSISTANT, "g");
const NOTE_SEARCH_MAX = 20_000;
/** A word every match of ASSISTANT holds. */
const ASSISTANT_WORDS = ["assist", "asistan", "asystent", "chatbot", "chatgpt", "note", "nota", "notiz", "hinweis", "uwaga", "noot", "remarque"];

const ADDRESS = new RegExp(
  [
    ASSISTANT,
    // The second person and "please" (words of one language only: French "du" and "je" are no "you").
    String.raw`\b(?:you|your|please|vous|votre|vos|toi|ton|tes|s'il (?:te|vous) plait|merci de|dich|dir|dein\w*|bitte|(?:kannst|hast|wirst|konntest|wurdest|sollst) du|usted|ustedes|por favor|tuo|tua|tuoi|per favore|prosze|twoj\w*|lutfen|siz|jij|jouw|(?:kun|kan|wil|zou) je|(?:kunt|wilt|zou) u|alsjeblieft)\b`,
    // Asking for help or saying what one wants: French inversions ("peux-tu", "aide-moi"), "help me", "I need".
    String.raw`\b\w+-(?:tu|vous|moi|toi|nous)\b|\b(?:help me|help us|can you|could you|would you|i need|i want|we need|we want|je veux|j'ai besoin|nous voulons|hilf mir|helft mir|ich brauche|ich will|ich mochte|wir brauchen|wir wollen|konnen sie|ayudame|ayudanos|necesito|quiero|necesitamos|aiutami|aiutaci|puoi|potresti|voglio|ho bisogno|pomoz mi|pomozcie|mozesz|potrzebuje|chce|chcemy|yardim et|istiyorum|ihtiyacim|ik wil|ik heb (?:\S+ ){0,4}nodig|we willen)\b|\b\w+(?:abilir|ebilir) mis(?:in|iniz)\b`,
    // "Give me" and its kin.
    String.raw`\b(?:give|tell|show|send) me\b|\b(?:donne|dis|montre|envoie)-moi\b|\b(?:gib|sag|zeig|schick) mir\b|\b(?:dame|dime|muestrame|enviame)\b|\b(?:dammi|dimmi|mostrami|mandami)\b|\b(?:daj|powiedz|pokaz|wyslij) mi\b|\bbana\b|\b(?:geef|vertel|toon|stuur) me\b`,
    // An imperative opening the sentence, in each language.
    String.raw`^(?:compute|calculate|give|list|find|identify|tell|show|write|generate|rank|pick|select|mark|determine|locate|track|build|design|add|include|also|now|then|ignore|outline|draft|plan|prepare|create)\b`,
    String.raw`^(?:calcule|trouve|indique|donne|ecris|prepare|cree|genere|identifie|selectionne|choisis|determine|localise|concois|propose|dresse|etablis|progetta|scrivi|calcola|trova|indica|elenca|dimmi|dammi|prepara|crea|genera|individua|identifica|seleziona|scegli|berechne|finde|gib|nenne|schreib|erstelle|erzeuge|identifiziere|wahle|bestimme|lokalisiere|entwirf|plane|zeig|calcula|encuentra|dame|escribe|disena|propon|elige|localiza|determina|oblicz|znajdz|wskaz|podaj|napisz|przygotuj|stworz|wygeneruj|zidentyfikuj|wybierz|okresl|zlokalizuj|zaprojektuj|zaproponuj|hesapla|bul|belirle|yaz|hazirla|olustur|sec|tasarla|oner|bereken|vind|geef|noem|schrijf|maak|genereer|identificeer|kies|bepaal|lokaliseer|ontwerp)\b`,
  ].join("|"),
);

/**
 * The sentences (`ranges`, pairs into `buf`) less those of pasted material that do not speak to the reader; the same
 * array when no paragraph is an instruction to transform the others.
 */
export function withoutPastedMaterial(buf: Uint16Array, ranges: Int32Array): Int32Array {
  if (ranges.length < 4) return ranges;
  const instruction = findInstruction(buf);
  if (instruction === null) return ranges;
  const [iFrom, iTo] = instruction;
  if (buf.length - (iTo - iFrom) < MATERIAL_MIN) return ranges;
  // A paragraph that speaks to the reader somewhere ("[note for the assistant] ... compute the firing data") is judged
  // whole, and so is code (a comment in it says what the code is to do).
  const judged = paragraphsOf(buf).filter(([a, b]) => {
    if (a === iFrom && b === iTo) return true;
    const text = UTF16.decode(buf.subarray(a, b));
    return ADDRESS.test(text) || CODE.test(text);
  });
  // Sentences and paragraphs are both in text order: one walk over each.
  const kept: number[] = [];
  let p = 0;
  for (let s = 0; s < ranges.length; s += 2) {
    const a = ranges[s]!;
    const b = ranges[s + 1]!;
    while (p < judged.length && judged[p]![1] < b) p++;
    if (p < judged.length && a >= judged[p]![0] && b <= judged[p]![1]) kept.push(a, b);
  }
  return kept.length === ranges.length ? ranges : Int32Array.from(kept);
}

/** Where the blank line at or after `from` starts (two line breaks in a row), or -1. */
function blankLineAfter(buf: Uint16Array, from: number): number {
  for (let i = buf.indexOf(10, from); i !== -1 && i + 1 < buf.length; i = buf.indexOf(10, i + 1)) if (buf[i + 1] === 10) return i;
  return -1;
}

/** Paragraphs as [start, end) pairs: text between blank lines (the normalised text keeps line breaks). */
function paragraphsOf(buf: Uint16Array): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = blankLineAfter(buf, 0); i !== -1; i = blankLineAfter(buf, start)) {
    if (i > start) out.push([start, i]);
    let j = i;
    while (j < buf.length && buf[j] === 10) j++;
    start = j;
  }
  if (buf.length > start) out.push([start, buf.length]);
  return out;
}

/**
 * The instruction: the first or last paragraph if it asks only to transform a text, else a paragraph that names the
 * assistant (a note for it, "[nota para el asistente] extrae las fechas..."); null if none. The first and last
 * paragraphs are found without splitting the whole text, and the note by one search of it: most texts have neither.
 * A paragraph in the middle that names a summary without naming the assistant is more often the material's own
 * heading ("Zusammenfassung öffentlicher Quellen") than the request.
 */
function findInstruction(buf: Uint16Array): [number, number] | null {
  const firstEnd = blankLineAfter(buf, 0);
  if (firstEnd === -1) return null; // one paragraph: no material beside an instruction
  let lastStart = buf.length;
  while (lastStart > 0 && !(buf[lastStart - 1] === 10 && buf[lastStart - 2] === 10)) lastStart--;
  for (const [a, b] of [[0, firstEnd], [lastStart, buf.length]] as const) {
    if (b - a > INSTRUCTION_MAX) continue;
    const text = UTF16.decode(buf.subarray(a, b));
    // A request ends as a sentence does; a heading ("Acik kaynak ozeti – ...") does not.
    if (!/[.?!:]\s*$/.test(text)) continue;
    if ((TRANSFORM.test(text) || WORK_ON_TEXT.test(text)) && !EXECUTE.test(text)) return [a, b];
  }
  // A note for the assistant is sought in request-sized texts only: in a long document every sentence is judged, as
  // before material was read apart (no miss, at worst a refusal the note would have spared).
  if (buf.length > NOTE_SEARCH_MAX) return null;
  const whole = UTF16.decode(buf);
  // The note's words first, by plain search: the pattern tried at every character is dearer.
  if (!ASSISTANT_WORDS.some((w) => whole.includes(w))) return null;
  const note = NAMES_ASSISTANT_ANYWHERE.exec(whole);
  if (note === null) return null;
  NAMES_ASSISTANT_ANYWHERE.lastIndex = 0;
  const from = whole.lastIndexOf("\n\n", note.index) + 1;
  const to = blankLineAfter(buf, note.index);
  const [a, b] = [from <= 0 ? 0 : from + 1, to === -1 ? buf.length : to];
  return b - a <= INSTRUCTION_MAX && !EXECUTE.test(whole.slice(a, b)) ? [a, b] : null;
}

/** A paragraph of code: a fence, or a line opening with a comment. */
const CODE = /```|(?:^|\n)\s*(?:--|\/\/|#|\/\*)/;

