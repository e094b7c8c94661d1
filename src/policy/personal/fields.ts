/**
 * Personal data in structured text, found by the field it stands in rather than by its own form: JSON keys
 * ("cognome": "Dell'Acqua"), key=value log fields (nazwisko="Szczepański"), form labels (Name, Vorname: Müller,
 * Stefan) and the columns of CSV/TSV tables whose header names them (Nachname;Vorname;Telefon). A surname alone is
 * no gazetteer's business; the field's name says what the value is, so any value that looks like a name is one.
 */

export interface FieldMatch {
  readonly kind: "NAME" | "PHONE";
  readonly start: number;
  readonly end: number;
}

/** Field names that hold a person's name (or part of it), in the member languages; compared in lower case. */
const NAME_LABELS = [
  "name", "names", "full name", "full_name", "fullname", "first name", "first_name", "firstname", "last name", "last_name", "lastname",
  "surname", "surnames", "forename", "forenames", "given name", "given_name", "givenname", "family name", "family_name", "familyname",
  "middle name", "middle_name",
  "vorname", "nachname", "familienname", "rufname", "nom", "prénom", "prenom", "nom de famille", "nom_de_famille",
  "nome", "cognome", "nombre", "apellido", "apellidos", "primer apellido", "segundo apellido", "apelido", "apelidos", "sobrenome",
  "imię", "imie", "nazwisko", "jméno", "jmeno", "příjmení", "prijmeni", "meno", "priezvisko", "naam", "voornaam", "achternaam",
  "familienaam", "ad", "adı", "adi", "soyad", "soyadı", "soyadi", "isim", "név", "vezetéknév", "keresztnév", "utónév", "nimi",
  "etunimi", "sukunimi", "namn", "förnamn", "efternamn", "navn", "fornavn", "efternavn", "etternavn", "nume", "prenume",
  "όνομα", "επώνυμο", "ονοματεπώνυμο", "име", "фамилия", "презиме", "ime", "prezime", "priimek", "vardas", "pavardė", "vārds",
  "uzvārds", "eesnimi", "perenimi", "emri", "mbiemri", "nafn", "eftirnafn",
  // Whole-name fields of several words.
  "nom complet", "nom_complet", "nome completo", "nome_completo", "nombre completo", "nombre_completo", "imię i nazwisko", "imie i nazwisko",
  "nazwisko i imię", "ad soyad", "ad_soyad", "adı soyadı", "volledige naam", "volledige_naam", "jméno a příjmení", "cognome e nome",
  "nome e cognome", "vor- und nachname", "nimi ja sukunimi", "apellidos_nombre", "apellidos y nombre", "nombre_apellidos", "nom_prenom",
  "cognome_nome", "nachname_vorname", "surname_name", "nume și prenume", "nume si prenume", "nume şi prenume", "numele și prenumele",
  "име и фамилия", "име и презиме", "ime i prezime", "ime in priimek", "meno a priezvisko", "vardas ir pavardė", "vardas, pavardė",
  "vārds un uzvārds", "vārds, uzvārds", "eesnimi ja perekonnanimi", "ees- ja perekonnanimi", "emri dhe mbiemri", "emri e mbiemri",
  "fornavn og efternavn", "fornavn og etternavn", "förnamn och efternamn", "nafn og föðurnafn", "családi és utónév", "név és rang",
  "etu- ja sukunimi", "sukunimi ja etunimi", "επώνυμο και όνομα", "όνομα και επώνυμο", "naam en voornaam",
  // Fields whose value is a person by their role on a form: guest lists, visitor logs, travel and HR records.
  "guest", "visitor", "escort", "passenger", "traveller", "traveler", "attendee", "participant", "applicant", "employee", "holder",
  "recipient", "requester", "patient", "contact person", "point of contact", "poc", "gast", "besucher", "passagier", "teilnehmer",
  "antragsteller", "mitarbeiter", "invité", "visiteur", "passager", "demandeur", "huésped", "visitante", "pasajero", "participante",
  "solicitante", "ospite", "visitatore", "passeggero", "partecipante", "richiedente", "gość", "odwiedzający", "pasażer", "uczestnik",
  "wnioskodawca", "misafir", "ziyaretçi", "yolcu", "katılımcı", "başvuran", "bezoeker", "deelnemer", "aanvrager",
  // The person a claim, casualty or movement form is about.
  "beneficiary", "bénéficiaire", "beneficiaire", "beneficiario", "beneficiaria", "begünstigter", "begunstigde", "beneficjent",
  "casualty", "injured", "wounded", "blessé", "blessée", "blesse", "verwundeter", "verwundete", "verletzter", "verletzte", "herido",
  "herida", "ferito", "ferita", "ranny", "ranna", "poszkodowany", "yaralı", "gewonde", "nominativo", "nominatif",
  "soldier", "soldat", "soldado", "soldato", "żołnierz", "militair",
];
/** Keys that are name parts only inside a "name" object ({"name": {"first": "Amelia", "last": "Fitzgerald"}}). */
const NAME_PART_KEYS = ["first", "last", "given", "family", "middle"];
/** Field names that hold a phone number. */
const PHONE_LABELS = [
  "phone", "telephone", "tel", "mobile", "mobile phone", "cell", "phone number", "phone_number", "mobile_number", "telefon", "telefonnummer",
  "handy", "mobil", "téléphone", "telephone", "portable", "telefono", "teléfono", "cellulare", "móvil", "movil", "telefone", "telemóvel",
  "telemovel", "telefoon", "gsm", "puhelin", "matkapuhelin", "τηλέφωνο", "κινητό", "телефон", "tlf", "numer telefonu", "komórka",
  "festnetz", "festnetz privat", "telefon privat", "telefon dienstlich", "mobil privat", "home phone", "work phone", "office phone",
  "private phone", "landline", "fixe", "fijo", "fisso", "vaste lijn",
];
/** Words before "_name" that make it no person's name (file_name=..., host_name=...). */
const THING_PREFIXES = new Set(["file", "host", "user", "app", "product", "company", "service", "device", "server", "project", "table",
  "column", "field", "model", "brand", "street", "city", "place", "key", "event", "queue", "bucket", "db", "domain", "node", "task",
  "job", "branch", "tag", "group", "team", "org", "organisation", "organization", "role", "type", "category", "item", "store", "shop",
  "site", "vendor", "bank", "display", "screen", "class", "module", "package", "image", "container", "pod", "cluster", "region",
  "zone", "stage", "step", "metric", "index", "schema", "database", "topic", "channel", "room", "building", "country", "town",
  "region", "firm", "business", "trade", "legal", "account", "entity", "sheet", "tab", "font", "color", "colour", "variable", "var"]);

const LABEL_SET = new Map<string, "name" | "part" | "phone">();
for (const l of PHONE_LABELS) LABEL_SET.set(l, "phone");
for (const l of NAME_PART_KEYS) LABEL_SET.set(l, "part");
for (const l of NAME_LABELS) LABEL_SET.set(l, "name");
/** Particles a surname may hold in lower case. */
const PARTICLES = new Set(["de", "la", "le", "van", "der", "den", "von", "di", "da", "del", "dos", "das", "du", "ter", "ten", "y", "e", "zu", "af", "al", "el", "bin", "ibn"]);
const NAME_TOKEN = /^\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*\.?$/u;
/** Values that fill a name field without being a name. */
const NOT_A_NAME = new Set(["Unknown", "None", "Null", "Nil", "N/A", "Test", "Anonymous", "Redacted", "Name", "Tbd", "TBD", "NULL", "NONE", "UNKNOWN", "True", "False"]);

/** Whether a field's value looks like a name: one to four capitalised words (particles between), no digits. */
export function looksLikeName(value: string): boolean {
  const words = value.split(" ");
  if (words.length > 4 || words.some((w) => w === "")) return false;
  let named = 0;
  for (const w of words) {
    if (NAME_TOKEN.test(w)) named++;
    else if (!PARTICLES.has(w.toLowerCase())) return false;
  }
  return named > 0 && !NOT_A_NAME.has(value);
}

/** A name value, or "Surname, Given" (Becker, Matthias) as one value. */
function nameValue(value: string): boolean {
  const comma = value.indexOf(", ");
  if (comma < 0) return looksLikeName(value);
  return value.indexOf(", ", comma + 2) < 0 && looksLikeName(value.slice(0, comma)) && looksLikeName(value.slice(comma + 2));
}

/** Whether a value is a phone number as a phone field holds it: digits in groups, 8 to 15 of them. */
function phoneValue(value: string): boolean {
  if (!/^\+?(?:\(\d{1,5}\)|\d)[\d ()./-]*\d$/.test(value)) return false;
  const digits = value.replace(/\D/g, "").length;
  return digits >= 8 && digits <= 15;
}

/** The value span [start, end) trimmed of spaces. */
function trimmed(text: string, start: number, end: number): [number, number] {
  const blank = (c: number) => c === 32 || c === 9 || c === 13;
  while (start < end && blank(text.charCodeAt(start))) start++;
  while (end > start && blank(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * Searches stay within a field's line and at most LINE_REACH characters: an unbounded indexOf per label would make
 * a long text without newlines (or without the character sought) quadratic.
 */
const LINE_REACH = 1000;
/** The first ch in text[from, to), or -1. */
function indexIn(text: string, ch: string, from: number, to: number): number {
  for (let k = from; k < to; k++) if (text[k] === ch) return k;
  return -1;
}
/** The end of the line at i (its newline), looking at most LINE_REACH characters ahead. */
function lineEnd(text: string, i: number): number {
  const to = Math.min(text.length, i + LINE_REACH);
  const n = indexIn(text, "\n", i, to);
  return n < 0 ? to : n;
}
/** The start of the line at i, looking at most LINE_REACH characters back. */
function lineStartOf(text: string, i: number): number {
  const from = Math.max(0, i - LINE_REACH);
  for (let k = i - 1; k >= from; k--) if (text[k] === "\n") return k + 1;
  return from;
}

type Role = "name" | "part" | "phone";

/**
 * Personal data found by its field: JSON keys, key=value pairs, form labels and table columns, in text order.
 * Each kind of field is sought from the character that marks it (a colon, "=", a cell delimiter) with indexOf,
 * and only there is the word before or beside it looked up: a regex of every label tried at every position cost
 * several times the rest of the scan, and even a regex of the marking characters costs ten times indexOf.
 */
export function findFields(text: string, out: FieldMatch[]): void {
  pairs(text, out);
  colons(text, out);
  for (const d of DELIMITERS) tables(text, d, out);
  out.sort((a, b) => a.start - b.start);
}

/** The label a key names, and its span: the whole key ("nachname"), or its tail after "_" or "." (customer_name). */
function labelOf(text: string, start: number, end: number): [Role, number, number] | undefined {
  const key = text.slice(start, end).toLowerCase();
  const role = LABEL_SET.get(key);
  if (role !== undefined) return [role, start, end];
  const cut = Math.max(key.lastIndexOf("_"), key.lastIndexOf("."));
  if (cut <= 0) return undefined;
  if (LABEL_SET.get(key.slice(cut + 1)) !== "name") return undefined;
  const prefix = key.slice(0, cut).split(/[_.]/).pop()!;
  return THING_PREFIXES.has(prefix) ? undefined : ["name", start + cut + 1, end];
}

const KEY_CHAR = /[\p{L}\p{N}_.-]/u;

/** The key that ends at end: letters, digits, "_", "." and "-", at most 40 of them. */
function keyStart(text: string, end: number): number {
  let start = end;
  while (start > 0 && end - start < 40 && KEY_CHAR.test(text[start - 1]!)) start--;
  return start;
}

/** key=value: the key read back from each "=". */
function pairs(text: string, out: FieldMatch[]): void {
  for (let eq = text.indexOf("="); eq >= 0; eq = text.indexOf("=", eq + 1)) {
    let end = eq;
    while (end > 0 && text[end - 1] === " ") end--;
    const start = keyStart(text, end);
    const label = start < end ? labelOf(text, start, end) : undefined;
    if (label === undefined) continue;
    const done = keyValue(text, label[1], label[2], label[0], out);
    if (done > eq) eq = done - 1;
  }
}

const LETTER = /\p{L}/u;
/** Whether text[k] is a letter: ASCII by its code, the rest by \p{L}. */
function isLetter(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return LETTER.test(text[k]!);
}

/** From each colon: a JSON key before it ("nome": "Anna"), or else the label words of a form line ("Name, Vorname:"). */
function colons(text: string, out: FieldMatch[]): void {
  for (let colon = text.indexOf(":"); colon >= 0; colon = text.indexOf(":", colon + 1)) {
    let quote = colon;
    while (quote > 0 && (text[quote - 1] === " " || text[quote - 1] === "\t")) quote--;
    if (text[quote - 1] === '"') {
      const start = keyStart(text, quote - 1);
      const label = start < quote - 1 && text[start - 1] === '"' ? labelOf(text, start, quote - 1) : undefined;
      const done = label === undefined ? 0 : keyValue(text, label[1], label[2], label[0], out);
      if (done > colon) colon = done - 1;
      continue;
    }
    // A form value opens with a letter, "+" or "(": times (14:02), URLs and ratios are passed over at once.
    let v = colon + 1;
    while (v < colon + 4 && text.charCodeAt(v) === 32) v++;
    const c = text.charCodeAt(v);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0 || c === 43 || c === 40)) continue;
    let lineStart = colon;
    while (lineStart > 0 && colon - lineStart < 60 && text.charCodeAt(lineStart - 1) !== NEWLINE) lineStart--;
    if (colon - lineStart >= 60) continue;
    // The first label word within a field number's reach of the line's start (read by hand: a regex exec per
    // colon cost more than the rest of this scan).
    for (let k = lineStart; k < colon && k - lineStart <= 12; k++) {
      if (!isLetter(text, k) || (k > lineStart && isLetter(text, k - 1))) continue;
      let e = k + 1;
      while (e < colon && isLetter(text, e)) e++;
      const role = LABEL_SET.get(text.slice(k, e).toLowerCase());
      if (role === undefined) continue;
      if (role !== "part") formLabel(text, k, e, role, out);
      break;
    }
  }
}

const NEWLINE = 10;
/** Characters that end a cell: newline, return, tab, ";", "|", ",", '"' (char codes: text[k] allocates a string per non-Latin-1 character). */
const CELL_END = new Uint8Array(128);
for (const c of "\n\r\t;|,\"") CELL_END[c.charCodeAt(0)] = 1;
const cellEnd = (text: string, k: number) => {
  const c = text.charCodeAt(k);
  return c < 128 && CELL_END[c] === 1;
};

/**
 * Tables delimited by d: from each d, the cells beside it looked up as column labels; a table found is then
 * skipped. A comma followed by a space is prose, not a cell delimiter.
 */
function tables(text: string, d: string, out: FieldMatch[]): void {
  for (let p = text.indexOf(d); p >= 0; p = text.indexOf(d, p + 1)) {
    if (d === "," && text[p + 1] === " ") continue;
    // The cell before the delimiter, then the one after it.
    let a = p;
    while (a > 0 && p - a < 30 && !cellEnd(text, a - 1)) a--;
    let b = p + 1;
    while (b < text.length && b - p < 30 && !cellEnd(text, b)) b++;
    // A label is short: a cell running on past 30 characters names no column.
    const beforeWhole = a === 0 || cellEnd(text, a - 1);
    const afterWhole = b === text.length || cellEnd(text, b);
    for (const [from, to, whole] of [[a, p, beforeWhole], [p + 1, b, afterWhole]] as const) {
      if (!whole) continue;
      const [s, e] = trimmed(text, from, to);
      const role = s < e ? LABEL_SET.get(text.slice(s, e).toLowerCase()) : undefined;
      if (role !== "name" && role !== "phone") continue;
      const done = table(text, s, e, out);
      if (done > p) {
        p = done - 1;
        break;
      }
    }
  }
}

/** Accepts a field value by the label's role; pushes the match. */
function accept(text: string, start: number, end: number, role: Role, out: FieldMatch[]): boolean {
  [start, end] = trimmed(text, start, end);
  if (start >= end) return false;
  const value = text.slice(start, end);
  if (role === "name" && !nameValue(value)) {
    // A form line may go on after the name, set off by a dash or a bracket ("Blessé : DUBOIS Aurélie – né(e) le ...").
    const cut = NAME_THEN_MORE.exec(value);
    if (cut === null || !nameValue(cut[1]!)) return false;
    out.push({ kind: "NAME", start, end: start + cut[1]!.length });
    return true;
  }
  if (role === "phone" && !phoneValue(value)) return false;
  out.push({ kind: role === "phone" ? "PHONE" : "NAME", start, end });
  return true;
}
const NAME_THEN_MORE = /^([^–—(\[]{2,60}?) (?:[–—-] |\(|\[)/u;

const JSON_VALUE = /\s*:\s*"([^"\\\n]{1,80})"/y;
const KV_VALUE = /\s*=\s*(?:"([^"\n]{1,80})"|'([^'\n]{1,80})'|([^\s,;&"'<>|]{1,60}))/y;
/** A "name" object opened shortly before a name part key, and not closed. */
const NAME_OBJECT_BEFORE = /"name"\s*:\s*\{[^{}]{0,60}$/i;

/** "key": "value" (the key in quotes) or key=value; returns the end of the value, or 0. */
function keyValue(text: string, start: number, end: number, role: Role, out: FieldMatch[]): number {
  if (text[end] === '"') {
    // A JSON key: quoted whole, or the tail of one ("customer_name").
    let k = start;
    while (k > 0 && start - k < 40 && /[\p{L}\p{N}_.-]/u.test(text[k - 1]!)) k--;
    if (text[k - 1] !== '"') return 0;
    if (role === "part" && !NAME_OBJECT_BEFORE.test(text.slice(Math.max(0, start - 80), start))) return 0;
    JSON_VALUE.lastIndex = end + 1;
    const v = JSON_VALUE.exec(text);
    if (v === null) return 0;
    const vEnd = JSON_VALUE.lastIndex - 1;
    accept(text, vEnd - v[1]!.length, vEnd, role === "part" ? "name" : role, out);
    return JSON_VALUE.lastIndex;
  }
  if (role === "part") return 0;
  KV_VALUE.lastIndex = end;
  const v = KV_VALUE.exec(text);
  if (v === null) return 0;
  const value = v[1] ?? v[2] ?? v[3]!;
  const vEnd = KV_VALUE.lastIndex - (v[3] === undefined ? 1 : 0);
  accept(text, vEnd - value.length, vEnd, role, out);
  return KV_VALUE.lastIndex;
}

const DELIMITERS = [",", ";", "\t", "|"];

/** Cells of a delimited line, with their spans; double quotes group a cell (CSV). */
function cells(text: string, from: number, to: number, delimiter: string): [number, number][] {
  const out: [number, number][] = [];
  let i = from;
  while (i <= to) {
    let k = i;
    while (k < to && text[k] === " ") k++;
    if (text[k] === '"') {
      const close = indexIn(text, '"', k + 1, to);
      if (close >= 0) {
        out.push([k + 1, close]);
        const next = indexIn(text, delimiter, close, to);
        i = next < 0 ? to + 1 : next + 1;
        continue;
      }
    }
    let next = indexIn(text, delimiter, i, to);
    if (next < 0) next = to;
    out.push([i, next]);
    i = next + 1;
  }
  return out;
}

/**
 * A table whose header line holds the label as a whole cell: the cells under every name or phone column of the
 * rows that follow (until a blank line or a line without the delimiter). Returns the end of the table, or 0.
 */
function table(text: string, start: number, end: number, out: FieldMatch[]): number {
  const lineStart = lineStartOf(text, start);
  const headerEnd = lineEnd(text, end);
  let before = start - 1;
  while (before >= lineStart && (text[before] === " " || text[before] === '"')) before--;
  let after = end;
  while (after < headerEnd && (text[after] === " " || text[after] === '"' || text[after] === "\r")) after++;
  const delimiter = DELIMITERS.find((d) => (before < lineStart || text[before] === d) && (after >= headerEnd || text[after] === d) && (text[before] === d || text[after] === d));
  if (delimiter === undefined) return 0;
  const header = cells(text, lineStart, trimmed(text, lineStart, headerEnd)[1], delimiter);
  if (header.length < 2) return 0;
  const roles = header.map(([a, b]) => {
    const label = text.slice(...trimmed(text, a, b)).toLowerCase();
    const role = LABEL_SET.get(label);
    return role === "name" || role === "phone" ? role : undefined;
  });
  let row = headerEnd + 1;
  while (row < text.length) {
    const rowEnd = lineEnd(text, row);
    const [, contentEnd] = trimmed(text, row, rowEnd);
    if (contentEnd <= row || indexIn(text, delimiter, row, rowEnd) < 0) break;
    cells(text, row, contentEnd, delimiter).forEach(([a, b], k) => {
      const role = roles[k];
      if (role !== undefined) accept(text, a, b, role, out);
    });
    row = rowEnd + 1;
  }
  return Math.min(row, text.length);
}

/** Words that may join label words on a form line ("Name, Vorname:", "COGNOME E NOME:", "NOM / Prénom :"). */
// Each part matches one way only (a run ends where its characters do): nested runs that could split a word in many
// ways backtrack exponentially when no colon follows.
const FORM_LABEL_TAIL = /^(?:[ ,\/&]+(?![ ,\/&])|\p{L}+(?!\p{L})|\([^()\n]{0,20}\))*?[ ]*:[ ]*/u;

/**
 * A form line "Label: value" whose label words end on a name or phone label, the label opening its line (after at
 * most a short field number or other label words): the value up to the line's end, a tab, " <" or an email.
 */
function formLabel(text: string, start: number, end: number, role: Role, out: FieldMatch[]): number {
  if (role === "part") return 0;
  const lineStart = lineStartOf(text, start);
  if (start - lineStart > 12 || /[.!?;]/.test(text.slice(lineStart, start))) return 0;
  const rest = text.slice(end, Math.min(text.length, end + 40));
  const tail = FORM_LABEL_TAIL.exec(rest);
  if (tail === null) return 0;
  const words = rest.slice(0, tail[0].length).match(/\p{L}+/gu) ?? [];
  if (words.some((w) => !LABEL_SET.has(w.toLowerCase()) && !/^(?:e|i|y|und|and|et|en|ja|och|og|és|a|de|of|du|la)$/i.test(w))) return 0;
  const valueStart = end + tail[0].length;
  // A name is short: the value is read from at most 120 characters of the line.
  const line = text.slice(valueStart, Math.min(lineEnd(text, valueStart), valueStart + 120));
  let valueEnd = valueStart + line.length;
  // A parenthesis after the name holds its unit or role ("Guest: Hiroshi Tanaka-Larsen (Norwegian Armed Forces)").
  for (const stop of ["\t", " <", ";", "|", " ("]) {
    const k = line.indexOf(stop);
    if (k >= 0 && valueStart + k < valueEnd) valueEnd = valueStart + k;
  }
  // An email after the name on the same line ("Organizador: Muñoz Peña, Lucía luciam71@gmail.com").
  const at = line.indexOf("@");
  if (at >= 0 && valueStart + at < valueEnd) {
    const space = line.lastIndexOf(" ", at);
    if (space >= 0) valueEnd = valueStart + space;
  }
  return accept(text, valueStart, valueEnd, role, out) ? valueEnd : 0;
}
