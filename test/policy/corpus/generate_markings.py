#!/usr/bin/env python3
"""Writes marked.jsonl and unmarked.jsonl: classification-marking corpora for test/policy/corpus.test.ts.

Texts are built from hand-written bodies and look-alike sentences in twelve languages, combined with the ways
markings are really written (banner lines, labels, portion marks, control syntax, STANAG 4774 labels) and the
ways people hide them (spacing, zero-width characters, confusable and full-width letters, mixed case, line
breaks). Deterministic (fixed seed). Run: python3 test/policy/corpus/generate_markings.py
"""
import json, random, os

random.seed(4774)
HERE = os.path.dirname(os.path.abspath(__file__))

BODIES = {
  "en": ["The logistics cell will move 40 pallets of rations from the Gdansk depot to the northern staging area on Tuesday.",
         "Summary of the working group meeting: the exercise timetable was agreed and the fuel allocation table will be updated.",
         "Annex B lists the communication frequencies for the second phase of the exercise.",
         "The battalion reported two vehicles out of service; replacement parts are expected within five days.",
         "Minutes of the coordination call held on 14 March with representatives of six nations."],
  "fr": ["La cellule logistique acheminera 40 palettes de vivres du dépôt de Lyon vers la zone de regroupement mardi.",
         "Compte rendu de la réunion du groupe de travail : le calendrier de l'exercice a été approuvé.",
         "L'annexe B précise les fréquences radio pour la deuxième phase de l'exercice.",
         "Le bataillon signale deux véhicules indisponibles ; les pièces de rechange sont attendues sous cinq jours."],
  "de": ["Die Logistikzelle verlegt am Dienstag 40 Paletten Verpflegung vom Depot Koblenz in den Bereitstellungsraum.",
         "Protokoll der Arbeitsgruppe: Der Übungszeitplan wurde abgestimmt, die Kraftstoffzuteilung wird aktualisiert.",
         "Anlage B enthält die Funkfrequenzen für die zweite Übungsphase.",
         "Das Bataillon meldet zwei ausgefallene Fahrzeuge; Ersatzteile werden binnen fünf Tagen erwartet."],
  "es": ["La célula logística trasladará 40 palés de raciones del depósito de Zaragoza a la zona de concentración el martes.",
         "Acta de la reunión del grupo de trabajo: se aprobó el calendario del ejercicio.",
         "El anexo B recoge las frecuencias de radio para la segunda fase del ejercicio.",
         "El batallón informa de dos vehículos averiados; se esperan repuestos en cinco días."],
  "it": ["La cellula logistica trasferirà martedì 40 pallet di razioni dal deposito di Verona all'area di raccolta.",
         "Verbale della riunione del gruppo di lavoro: è stato approvato il calendario dell'esercitazione.",
         "L'allegato B riporta le frequenze radio per la seconda fase dell'esercitazione.",
         "Il battaglione segnala due veicoli fuori servizio; i ricambi sono attesi entro cinque giorni."],
  "pl": ["Komórka logistyczna przewiezie we wtorek 40 palet racji żywnościowych z magazynu w Gdańsku do rejonu wyczekiwania.",
         "Protokół z posiedzenia grupy roboczej: uzgodniono harmonogram ćwiczenia.",
         "Załącznik B zawiera częstotliwości radiowe dla drugiej fazy ćwiczenia.",
         "Batalion zgłasza dwa niesprawne pojazdy; części zamienne spodziewane są w ciągu pięciu dni."],
  "tr": ["Lojistik hücresi salı günü Ankara deposundan toplanma bölgesine 40 palet erzak taşıyacak.",
         "Çalışma grubu toplantı tutanağı: tatbikat takvimi kabul edildi.",
         "Ek B, tatbikatın ikinci aşaması için telsiz frekanslarını içerir.",
         "Tabur iki aracın arızalı olduğunu bildirdi; yedek parçaların beş gün içinde gelmesi bekleniyor."],
  "nl": ["De logistieke cel verplaatst dinsdag 40 pallets rantsoenen van het depot in Den Helder naar het verzamelgebied.",
         "Verslag van de werkgroep: het oefenschema is vastgesteld.",
         "Bijlage B bevat de radiofrequenties voor de tweede fase van de oefening.",
         "Het bataljon meldt twee uitgevallen voertuigen; reserveonderdelen worden binnen vijf dagen verwacht."],
  "no": ["Logistikkcellen flytter 40 paller med rasjoner fra lageret i Bodø til oppstillingsområdet tirsdag.",
         "Referat fra arbeidsgruppen: øvelsesplanen ble vedtatt."],
  "da": ["Logistikcellen flytter 40 paller med rationer fra depotet i Aalborg til samlingsområdet tirsdag.",
         "Referat fra arbejdsgruppen: øvelsesplanen blev godkendt."],
  "pt": ["A célula logística transportará 40 paletes de rações do depósito de Lisboa para a zona de reunião na terça-feira.",
         "Ata da reunião do grupo de trabalho: o calendário do exercício foi aprovado."],
  "cs": ["Logistická buňka v úterý přesune 40 palet potravin ze skladu v Olomouci do shromažďovacího prostoru.",
         "Zápis z jednání pracovní skupiny: harmonogram cvičení byl schválen."],
  "el": ["Το κλιμάκιο διοικητικής μέριμνας θα μεταφέρει την Τρίτη 40 παλέτες τροφίμων στην περιοχή συγκέντρωσης."],
}

MARKINGS = {
  "en": ["NATO SECRET", "NATO CONFIDENTIAL", "NATO RESTRICTED", "COSMIC TOP SECRET", "COSMIC TOP SECRET ATOMAL", "NATO SECRET ATOMAL",
         "SECRET", "TOP SECRET", "CONFIDENTIAL", "OFFICIAL-SENSITIVE", "RESTRICTED", "SECRET//NOFORN", "TOP SECRET//SCI",
         "SECRET//REL TO USA, GBR, CAN", "UK SECRET UK EYES ONLY", "EU RESTRICTED", "SECRET UE/EU SECRET"],
  "fr": ["DIFFUSION RESTREINTE", "SECRET", "TRÈS SECRET", "CONFIDENTIEL DÉFENSE", "SECRET DÉFENSE", "TRÈS SECRET DÉFENSE", "SECRET SPÉCIAL FRANCE", "RESTREINT UE"],
  "de": ["VS-NUR FÜR DEN DIENSTGEBRAUCH", "VS-NfD", "VS-VERTRAULICH", "GEHEIM", "STRENG GEHEIM"],
  "es": ["DIFUSIÓN LIMITADA", "CONFIDENCIAL", "RESERVADO", "SECRETO"],
  "it": ["RISERVATO", "RISERVATISSIMO", "SEGRETO", "SEGRETISSIMO"],
  "pl": ["ZASTRZEŻONE", "POUFNE", "TAJNE", "ŚCIŚLE TAJNE"],
  "tr": ["HİZMETE ÖZEL", "ÖZEL", "GİZLİ", "ÇOK GİZLİ"],
  "nl": ["DEPARTEMENTAAL VERTROUWELIJK", "STG. CONFIDENTIEEL", "STG. GEHEIM", "STG. ZEER GEHEIM"],
  "no": ["BEGRENSET", "KONFIDENSIELT", "HEMMELIG", "STRENGT HEMMELIG"],
  "da": ["TIL TJENESTEBRUG", "FORTROLIGT", "HEMMELIGT", "YDERST HEMMELIGT"],
  "pt": ["RESERVADO", "CONFIDENCIAL", "SECRETO", "MUITO SECRETO"],
  "cs": ["VYHRAZENÉ", "DŮVĚRNÉ", "TAJNÉ", "PŘÍSNĚ TAJNÉ"],
  "el": ["ΑΠΟΡΡΗΤΟ", "ΑΚΡΩΣ ΑΠΟΡΡΗΤΟ", "ΕΜΠΙΣΤΕΥΤΙΚΟ"],
}
NATO_LEVELS = ["NATO SECRET", "NATO CONFIDENTIAL", "NATO RESTRICTED", "COSMIC TOP SECRET"]
LABELS = {"en": "Classification", "fr": "Classification", "de": "Einstufung", "es": "Clasificación", "it": "Classifica",
          "pl": "Klauzula", "tr": "Gizlilik derecesi", "nl": "Rubricering", "no": "Gradering", "da": "Klassificering",
          "pt": "Classificação", "cs": "Stupeň utajení", "el": "Classification"}

CYRILLIC = {"A": "А", "E": "Е", "O": "О", "C": "С", "P": "Р", "T": "Т", "H": "Н", "K": "К", "M": "М", "X": "Х", "B": "В"}
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]

def spaced(m): return "  ".join(" ".join(w) for w in m.split(" "))
def hyphenated(m): return " ".join("-".join(w) for w in m.split(" "))
def dotted(m): return " ".join(".".join(w) + "." for w in m.split(" "))
def zero_width(m):
    chars = list(m); i = random.randint(1, max(1, len(chars) - 2)); chars.insert(i, random.choice(ZW)); return "".join(chars)
def confusable(m):
    out = []; swapped = False
    for ch in m:
        if ch in CYRILLIC and (random.random() < 0.5 or not swapped): out.append(CYRILLIC[ch]); swapped = True
        else: out.append(ch)
    return "".join(out)
def fullwidth(m): return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in m)
def mixed_case(m):
    return "".join((c.lower() if i % 2 else c.upper()) for i, c in enumerate(m))
def line_break(m):
    parts = m.split(" ", 1)
    return parts[0] + "\n" + parts[1] if len(parts) == 2 else m[:3] + "\n" + m[3:]

marked = []
def add(lang, text, how):
    marked.append({"id": f"m{len(marked)+1:04d}", "lang": lang, "how": how, "text": text})

for lang, marks in MARKINGS.items():
    bodies = BODIES[lang]
    for m in marks:
        b = random.choice(bodies); b2 = random.choice(bodies)
        add(lang, f"{m}\n\n{b}\n{b2}", "banner-top")
        add(lang, f"{m}\n{b}\n\n{m}", "banner-top-bottom")
        add(lang, f"{b}\n{b2}\n\n{m}", "banner-bottom")
        add(lang, f"{LABELS[lang]}: {m}\n\n{b}", "label")
        deco = random.choice(["*** {} ***", "- {} -", "[{}]", "=== {} ===", "<< {} >>"])
        add(lang, deco.format(m) + f"\n{b}", "decorated-banner")
        if "//" not in m:
            add(lang, f"{m} // REL TO NATO\n{b}", "control-syntax")
        add(lang, f"Page 1 of 3\n{m}\n{b}\n{b2}", "banner-after-page-line")

# Evasions of banner lines, every language.
EVASIONS = [("spaced", spaced), ("hyphenated", hyphenated), ("dotted", dotted), ("zero-width", zero_width),
            ("confusable", confusable), ("fullwidth", fullwidth), ("mixed-case", mixed_case), ("line-break", line_break)]
for lang, marks in MARKINGS.items():
    if lang == "el": continue
    for m in marks:
        name, f = random.choice(EVASIONS)
        add(lang, f"{f(m)}\n\n{random.choice(BODIES[lang])}", f"evasion-{name}")

# NATO markings written inline in any language's text, with and without evasions.
INLINE = {
  "en": "The attached annex is {} and must be handled accordingly. {}",
  "fr": "L'annexe jointe est classifiée {} ; la manipuler en conséquence. {}",
  "de": "Die beigefügte Anlage ist als {} eingestuft. {}",
  "es": "El anexo adjunto está clasificado {}. {}",
  "it": "L'allegato è classificato {}. {}",
  "pl": "Załącznik jest oznaczony {}. {}",
  "tr": "Ekteki belge {} olarak sınıflandırılmıştır. {}",
  "nl": "De bijlage is gerubriceerd als {}. {}",
}
for lang, tpl in INLINE.items():
    for lvl in NATO_LEVELS:
        add(lang, tpl.format(lvl, random.choice(BODIES[lang])), "inline-nato")
        for name, f in EVASIONS:
            if random.random() < 0.45:
                add(lang, tpl.format(f(lvl), random.choice(BODIES[lang])), f"inline-nato-{name}")
        add(lang, tpl.format(lvl.lower(), random.choice(BODIES[lang])), "inline-nato-lowercase")

# Portion marks.
for lang in ["en", "fr", "de", "es", "it", "pl", "tr", "nl"]:
    b = BODIES[lang]
    for pm in ["(NS)", "(NC)", "(NR)", "(CTS)", "(NS-A)"]:
        add(lang, f"1. (NU) {b[0]}\n2. {pm} {b[1]}\n3. (NU) {b[2]}", "portion")
    add(lang, f"(S//NF) {b[0]}\n(U) {b[1]}", "portion-us")
    add(lang, f"{b[0]} (TS//SCI) {b[1]}", "portion-us-inline")
    add(lang, f"(C) {b[1]}", "portion-us-confidential")

# STANAG 4774 style labels (XML and JSON), policy NATO or national.
XML = ('<?xml version="1.0" encoding="UTF-8"?>\n<slab:originatorConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">\n'
       '  <slab:ConfidentialityInformation>\n    <slab:PolicyIdentifier>{policy}</slab:PolicyIdentifier>\n'
       '    <slab:Classification>{cls}</slab:Classification>\n  </slab:ConfidentialityInformation>\n'
       '  <slab:CreationDateTime>2026-03-14T09:00:00Z</slab:CreationDateTime>\n</slab:originatorConfidentialityLabel>\n{body}')
JSONL = '{{"confidentialityLabel":{{"PolicyIdentifier":"{policy}","Classification":"{cls}"}},"content":"{body}"}}'
for policy, cls, lang in [("NATO", "SECRET", "en"), ("NATO", "RESTRICTED", "fr"), ("NATO", "CONFIDENTIAL", "de"), ("NATO", "COSMIC TOP SECRET", "en"),
                          ("DEU", "GEHEIM", "de"), ("FRA", "DIFFUSION RESTREINTE", "fr"), ("POL", "TAJNE", "pl"), ("ITA", "RISERVATO", "it"),
                          ("ESP", "RESERVADO", "es"), ("TUR", "GİZLİ", "tr"), ("NLD", "STG. GEHEIM", "nl"), ("GBR", "OFFICIAL-SENSITIVE", "en")]:
    add(lang, XML.format(policy=policy, cls=cls, body=random.choice(BODIES[lang])), "stanag-xml")
    add(lang, JSONL.format(policy=policy, cls=cls.lower() if random.random() < 0.5 else cls, body=random.choice(BODIES[lang])), "stanag-json")

# ---------------------------------------------------------------------------------------------------------------
LOOKALIKES = {
  "en": ["The Secretary General opened the ministerial meeting in Brussels.", "Members elected the new chair by secret ballot.",
         "Grandma's top-secret recipe for apple pie uses two kinds of cinnamon.", "We keep your personal data confidential and never sell it to third parties.",
         "CONFIDENTIALITY NOTICE: This e-mail and any attachments are intended only for the named recipient.",
         "PRIVATE AND CONFIDENTIAL", "RESTRICTED AREA - AUTHORISED PERSONNEL ONLY", "The success of the plan was no secret.",
         "He said the location of the party was TOP SECRET, then told everyone.", "Secret Santa gifts must cost less than ten euros.",
         "The film Top Secret! was released in 1984.", "Access to the archive is restricted to registered readers.",
         "NATO's Secretary General visited the logistics school.", "The secretariat circulated the confidential draft to delegations for comment.",
         "The Official Journal published the regulation on Monday.", "Cosmic rays were measured at the research station.",
         "Classified ads appear on page 12.", "She moved to Raleigh (NC) in 2019.", "(C) 2024 Example Corp. All rights reserved.",
         "Please select the item(s) you wish to order.", "What is the secret of a good sourdough?"],
  "fr": ["Le secrétaire général a ouvert la réunion ministérielle.", "Le président a été élu à bulletin secret.",
         "Sa recette reste très secrète.", "Vos données personnelles restent confidentielles.", "C'est top secret, ne le dis à personne !",
         "Le rapport a fait l'objet d'une diffusion restreinte auprès des délégations.", "Le film Secret défense est sorti en 2008.",
         "Le secret de la réussite, c'est la préparation."],
  "de": ["Der Generalsekretär eröffnete das Ministertreffen.", "Der Vorsitz wurde in geheimer Wahl bestimmt.",
         "Das Rezept ist streng geheim, sagt die Großmutter.", "Bitte behandeln Sie diese Information vertraulich.",
         "Das Geheimnis guter Planung ist Geduld.", "Dieses Formular ist nur für den Dienstgebrauch der Verwaltung gedacht.",
         "Die Geheimzahl Ihrer Karte erhalten Sie per Post."],
  "es": ["El secretario general inauguró la reunión ministerial.", "La presidencia se eligió por voto secreto.",
         "La receta de la abuela es secreta.", "Sus datos personales se tratarán de forma confidencial.",
         "El informe tuvo una difusión limitada entre las delegaciones.", "El secreto del éxito es la preparación."],
  "it": ["Il segretario generale ha aperto la riunione ministeriale.", "Il presidente è stato eletto a scrutinio segreto.",
         "La ricetta della nonna è un segreto.", "I suoi dati personali saranno trattati in modo riservato.",
         "Il carattere riservato del progetto è noto a tutti.", "Il segreto del successo è la preparazione."],
  "pl": ["Sekretarz generalny otworzył spotkanie ministrów.", "Przewodniczącego wybrano w tajnym głosowaniu.",
         "Przepis babci jest ściśle tajny.", "Twoje dane osobowe pozostają poufne.", "To są tajne plany na przyjęcie urodzinowe.",
         "Tajemnicą sukcesu jest przygotowanie."],
  "tr": ["Genel sekreter bakanlar toplantısını açtı.", "Başkan gizli oylamayla seçildi.", "Büyükannenin tarifi çok gizli.",
         "Kişisel verileriniz gizli tutulur.", "Bu indirim size özel.", "Bu alan personele özel bir dinlenme alanıdır.",
         "Başarının sırrı hazırlıktır."],
  "nl": ["De secretaris-generaal opende de ministeriële vergadering.", "De voorzitter werd bij geheime stemming gekozen.",
         "Het recept van oma is zeer geheim.", "Uw persoonsgegevens worden vertrouwelijk behandeld.", "Het geheim van succes is voorbereiding."],
  "no": ["Generalsekretæren åpnet ministermøtet.", "Lederen ble valgt ved hemmelig avstemning.", "Oppskriften er hemmelig, sier bestemor."],
  "da": ["Generalsekretæren åbnede ministermødet.", "Formanden blev valgt ved hemmelig afstemning.", "Opskriften er hemmelig."],
  "pt": ["O secretário-geral abriu a reunião ministerial.", "O presidente foi eleito por voto secreto.", "A receita da avó é secreta."],
  "cs": ["Generální tajemník zahájil jednání ministrů.", "Předseda byl zvolen tajným hlasováním.", "Babiččin recept je přísně tajný."],
}
UNCLASS_BANNERS = {"en": ["NATO UNCLASSIFIED", "UNCLASSIFIED", "OFFICIAL", "NATO UNCLASSIFIED // RELEASABLE TO THE PUBLIC"],
                   "fr": ["NON PROTÉGÉ", "NATO UNCLASSIFIED"], "de": ["OFFEN", "NATO UNCLASSIFIED"], "es": ["SIN CLASIFICAR"],
                   "it": ["NON CLASSIFICATO"], "pl": ["NATO UNCLASSIFIED"], "tr": ["TASNİF DIŞI"], "nl": ["ONGERUBRICEERD"]}

unmarked = []
def add_u(lang, text, how):
    unmarked.append({"id": f"u{len(unmarked)+1:04d}", "lang": lang, "how": how, "text": text})

for lang, looks in LOOKALIKES.items():
    bodies = BODIES[lang]
    for s in looks:
        add_u(lang, s, "lookalike")
        add_u(lang, f"{random.choice(bodies)} {s} {random.choice(bodies)}", "lookalike-in-text")
        add_u(lang, f"{s}\n\n{random.choice(bodies)}", "lookalike-first-line")
    for _ in range(6):
        picks = random.sample(looks, min(3, len(looks)))
        add_u(lang, "\n".join([random.choice(bodies)] + picks + [random.choice(bodies)]), "mixed-paragraphs")
for lang, banners in UNCLASS_BANNERS.items():
    for bn in banners:
        for b in BODIES[lang]:
            add_u(lang, f"{bn}\n\n{b}\n\n{bn}", "unclassified-banner")
for lang in ["en", "fr", "de", "es", "it", "pl", "tr", "nl"]:
    b = BODIES[lang]
    add_u(lang, f"1. (NU) {b[0]}\n2. (NU) {b[1]}", "unclassified-portion")
    add_u(lang, f"(U) {b[0]}\n(U) {b[1]}", "unclassified-portion-us")
    for i in range(len(b)):
        add_u(lang, f"{b[i]} {b[(i+1) % len(b)]}", "plain")
        add_u(lang, f"Subject: {b[i][:40]}\n\n{b[(i+2) % len(b)]}\n\n-- \nLogistics cell, phone +32 2 707 41 11", "plain-email")

with open(os.path.join(HERE, "marked.jsonl"), "w", encoding="utf-8") as f:
    for r in marked: f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(os.path.join(HERE, "unmarked.jsonl"), "w", encoding="utf-8") as f:
    for r in unmarked: f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(marked), "marked;", len(unmarked), "unmarked;", len({r["lang"] for r in marked}), "/", len({r["lang"] for r in unmarked}), "languages")
