import { test } from "node:test";
import assert from "node:assert/strict";
import { detectLanguage, normalizeLanguage } from "./language.ts";

test("detects member languages of report-length text and answers ISO 639-3 codes", () => {
  const cases: [string, string][] = [
    ["eng", "The battalion received fuel supplies on Monday, and convoys moved through the northern corridor without delay."],
    ["deu", "Das Bataillon erhielt am Montag Treibstoff, und die Konvois fuhren ohne Verzögerung durch den nördlichen Korridor."],
    ["fra", "Le bataillon a reçu du carburant lundi, et les convois ont traversé le corridor nord sans retard."],
    ["pol", "Batalion otrzymał paliwo w poniedziałek, a konwoje przejechały przez północny korytarz bez opóźnień."],
    ["est", "Pataljon sai esmaspäeval kütust ja kolonnid liikusid põhjakoridori kaudu ilma viivituseta edasi."],
    ["ell", "Το τάγμα παρέλαβε καύσιμα τη Δευτέρα και οι φάλαγγες κινήθηκαν μέσω του βόρειου διαδρόμου χωρίς καθυστέρηση."],
  ];
  for (const [code, text] of cases) assert.equal(detectLanguage(text), code, text);
});

test("text too short to tell is undetermined rather than guessed", () => {
  assert.equal(detectLanguage("Fuel arrived."), "und");
});

test("ISO 639-1 codes are accepted and normalised to 639-3", () => {
  assert.equal(normalizeLanguage("de"), "deu");
  assert.equal(normalizeLanguage("NB"), "nob");
  assert.equal(normalizeLanguage("fra"), "fra");
});
