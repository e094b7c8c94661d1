/**
 * Per-language rules the word lists lack: negators, intensifiers, softeners, contrast words, and a short
 * supplement of everyday valence words the machine-translated AFINN lists miss (thanks, delays, cold quarters).
 * The supplement was written from general vocabulary before the labelled set in test/comms/sentiment was;
 * words are lower case, scores on AFINN's −5..+5 scale; multi-word entries are matched as phrases.
 */

export interface SentimentRules {
  negators: readonly string[];
  /** Negators that follow what they negate (German "gefällt mir nicht", Turkish "iyi değil"). */
  postNegators?: readonly string[];
  intensifiers: readonly string[];
  softeners: readonly string[];
  /** "but": what follows weighs more than what precedes. */
  contrast: readonly string[];
  supplement: Readonly<Record<string, number>>;
  /** Words the machine translation of AFINN gave a valence they do not carry (German "große" from "great"). */
  neutral?: readonly string[];
}

export const RULES: Readonly<Record<string, SentimentRules>> = {
  eng: {
    negators: ["not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot", "can't", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "couldn't", "shouldn't", "hardly", "without", "lack", "lacking"],
    intensifiers: ["very", "really", "extremely", "so", "too", "truly", "highly", "absolutely", "totally", "completely", "incredibly", "particularly", "deeply", "most"],
    softeners: ["slightly", "somewhat", "bit", "little", "fairly", "rather", "quite", "mostly"],
    contrast: ["but", "however", "although", "though", "yet"],
    supplement: {
      thanks: 2, thank: 2, grateful: 3, appreciated: 2, appreciate: 2, "well done": 3, excellent: 3, great: 3, superb: 4, outstanding: 4, smooth: 2, smoothly: 2,
      proud: 2, pleased: 2, impressive: 3, professional: 2, helpful: 2, efficient: 2, "on time": 2, punctual: 2, reliable: 2, comfortable: 2, improved: 2,
      delay: -2, delayed: -2, delays: -2, late: -1, cold: -1, broken: -2, failure: -2, failed: -2, fails: -2, shortage: -2, shortages: -2, chaos: -3, chaotic: -3,
      unacceptable: -3, frustrating: -2, frustrated: -2, disappointing: -2, disappointed: -2, poor: -2, poorly: -2, terrible: -3, awful: -3, complaint: -2, complaints: -2,
      exhausted: -2, unsafe: -2, dirty: -2, confusing: -2, confused: -2, missing: -2, lost: -2, cancelled: -1, worse: -2, worst: -3, useless: -2, angry: -3,
    },
  },
  fra: {
    negators: ["ne", "n'", "pas", "jamais", "rien", "aucun", "aucune", "personne", "non", "sans", "ni", "guère"],
    intensifiers: ["très", "vraiment", "extrêmement", "trop", "tellement", "si", "absolument", "totalement", "complètement", "particulièrement", "hyper", "super"],
    softeners: ["peu", "légèrement", "assez", "plutôt", "relativement"],
    contrast: ["mais", "cependant", "pourtant", "toutefois", "néanmoins"],
    supplement: {
      merci: 2, remercie: 2, remercions: 2, bravo: 3, excellent: 3, excellente: 3, formidable: 3, parfait: 3, parfaite: 3, réussi: 3, réussite: 3, fier: 2, fiers: 2,
      satisfait: 2, satisfaits: 2, efficace: 2, utile: 2, agréable: 2, ponctuel: 2, fluide: 2, impeccable: 3, "bon travail": 3, génial: 3, bien: 1, bon: 2, bonne: 2,
      retard: -2, retards: -2, retardé: -2, froid: -1, froids: -1, cassé: -2, panne: -2, échec: -2, pénurie: -2, manque: -2, chaos: -3, chaotique: -3, inacceptable: -3,
      frustrant: -2, déçu: -2, déçus: -2, décevant: -2, mauvais: -2, mauvaise: -2, mal: -2, terrible: -3, plainte: -2, plaintes: -2, épuisé: -2, épuisés: -2, sale: -2, sales: -2,
      dangereux: -2, perdu: -2, annulé: -1, pire: -3, inutile: -2, colère: -3, problème: -2, problèmes: -2, désastre: -3,
    },
  },
  deu: {
    negators: ["nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "nichts", "niemand", "ohne", "weder"],
    postNegators: ["nicht"],
    neutral: ["groß", "große", "großen", "großer", "großes", "schon", "mehr"],
    intensifiers: ["sehr", "wirklich", "äußerst", "extrem", "total", "völlig", "absolut", "besonders", "so", "zu", "echt", "richtig", "höchst"],
    softeners: ["etwas", "bisschen", "leicht", "ziemlich", "eher", "relativ"],
    contrast: ["aber", "jedoch", "doch", "allerdings", "trotzdem"],
    supplement: {
      danke: 2, dank: 2, dankbar: 3, bedanken: 2, "gut gemacht": 3, hervorragend: 4, ausgezeichnet: 4, großartig: 3, toll: 3, prima: 3, perfekt: 3, reibungslos: 3, stolz: 2,
      zufrieden: 2, hilfreich: 2, effizient: 2, pünktlich: 2, zuverlässig: 2, bequem: 2, verbessert: 2, erfolgreich: 3, erfolg: 2, gelungen: 3, super: 3, gut: 2, gute: 2, guten: 2,
      verspätung: -2, verspätet: -2, verzögert: -2, verzögerung: -2, kalt: -1, kaputt: -2, defekt: -2, ausfall: -2, mangel: -2, chaos: -3, chaotisch: -3, inakzeptabel: -3,
      frustrierend: -2, enttäuscht: -2, enttäuschend: -2, schlecht: -2, schlechte: -2, schrecklich: -3, furchtbar: -3, beschwerde: -2, beschwerden: -2, erschöpft: -2,
      gefährlich: -2, schmutzig: -2, verloren: -2, abgesagt: -1, schlimmer: -2, nutzlos: -2, wütend: -3, ärgerlich: -2, problem: -2, probleme: -2, leider: -1, katastrophe: -3,
    },
  },
  spa: {
    negators: ["no", "nunca", "jamás", "nada", "nadie", "ningún", "ninguna", "ninguno", "sin", "ni", "tampoco"],
    intensifiers: ["muy", "realmente", "extremadamente", "demasiado", "tan", "totalmente", "absolutamente", "completamente", "súper", "sumamente", "especialmente"],
    softeners: ["poco", "algo", "ligeramente", "bastante", "relativamente"],
    contrast: ["pero", "sin embargo", "aunque", "no obstante"],
    supplement: {
      gracias: 2, agradecemos: 2, agradecido: 3, enhorabuena: 3, excelente: 3, estupendo: 3, magnífico: 4, perfecto: 3, perfecta: 3, orgulloso: 2, orgullosos: 2, satisfecho: 2,
      eficiente: 2, útil: 2, puntual: 2, cómodo: 2, mejorado: 2, éxito: 3, exitoso: 3, "buen trabajo": 3, genial: 3, bien: 1, bueno: 2, buena: 2, fantástico: 3,
      retraso: -2, retrasos: -2, retrasado: -2, frío: -1, fríos: -1, roto: -2, averiado: -2, avería: -2, fallo: -2, escasez: -2, falta: -2, caos: -3, caótico: -3, inaceptable: -3,
      frustrante: -2, decepcionado: -2, decepcionante: -2, malo: -2, mala: -2, mal: -2, terrible: -3, queja: -2, quejas: -2, agotado: -2, agotados: -2, sucio: -2, peligroso: -2,
      perdido: -2, cancelado: -1, peor: -3, inútil: -2, enfadado: -3, problema: -2, problemas: -2, desastre: -3,
    },
  },
  ita: {
    negators: ["non", "mai", "niente", "nulla", "nessuno", "nessuna", "senza", "né", "neanche", "neppure"],
    intensifiers: ["molto", "davvero", "estremamente", "troppo", "così", "totalmente", "assolutamente", "completamente", "veramente", "particolarmente", "super"],
    softeners: ["poco", "leggermente", "abbastanza", "piuttosto", "relativamente"],
    contrast: ["ma", "però", "tuttavia", "eppure", "anche se"],
    supplement: {
      grazie: 2, ringrazio: 2, ringraziamo: 2, grato: 3, complimenti: 3, bravi: 3, eccellente: 3, ottimo: 3, ottima: 3, perfetto: 3, perfetta: 3, fiero: 2, orgoglioso: 2, soddisfatto: 2,
      soddisfatti: 2, efficiente: 2, utile: 2, puntuale: 2, comodo: 2, migliorato: 2, successo: 3, riuscito: 3, fantastico: 3, bene: 1, buono: 2, buona: 2, splendido: 3,
      ritardo: -2, ritardi: -2, freddo: -1, freddi: -1, rotto: -2, guasto: -2, guasti: -2, fallimento: -2, carenza: -2, mancanza: -2, caos: -3, caotico: -3, inaccettabile: -3,
      frustrante: -2, deluso: -2, delusi: -2, deludente: -2, cattivo: -2, male: -2, pessimo: -3, pessima: -3, terribile: -3, lamentela: -2, lamentele: -2, esausto: -2, esausti: -2,
      sporco: -2, sporchi: -2, pericoloso: -2, perso: -2, annullato: -1, peggio: -3, peggiore: -3, inutile: -2, arrabbiato: -3, problema: -2, problemi: -2, disastro: -3,
    },
  },
  pol: {
    neutral: ["kolejne", "kolejny", "kolejna", "kolejnych", "duży", "duże", "wielki"],
    negators: ["nie", "nigdy", "nic", "niczego", "nikt", "żaden", "żadna", "żadne", "żadnych", "bez", "ani"],
    intensifiers: ["bardzo", "naprawdę", "niezwykle", "wyjątkowo", "zbyt", "za", "tak", "całkowicie", "absolutnie", "zupełnie", "szczególnie", "strasznie", "ogromnie"],
    softeners: ["trochę", "nieco", "lekko", "dość", "raczej", "względnie"],
    contrast: ["ale", "lecz", "jednak", "jednakże", "chociaż", "mimo"],
    supplement: {
      dziękuję: 2, dziękujemy: 2, dzięki: 2, wdzięczny: 3, wdzięczni: 3, gratulacje: 3, gratuluję: 3, brawo: 3, doskonały: 3, doskonale: 3, świetny: 3, świetnie: 3, znakomity: 4, znakomicie: 4,
      wspaniały: 3, wspaniale: 3, idealny: 3, idealnie: 3, dumny: 2, dumni: 2, zadowolony: 2, zadowoleni: 2, sprawny: 2, sprawnie: 2, pomocny: 2, punktualny: 2, punktualnie: 2,
      wygodny: 2, sukces: 3, udany: 3, udana: 3, "dobra robota": 3, dobry: 2, dobra: 2, dobre: 2, dobrze: 2, super: 3,
      opóźnienie: -2, opóźnienia: -2, opóźniony: -2, spóźniony: -2, zimny: -1, zimne: -1, zimno: -1, zepsuty: -2, awaria: -2, porażka: -2, brak: -2, braki: -2, chaos: -3,
      niedopuszczalny: -3, niedopuszczalne: -3, frustrujący: -2, rozczarowany: -2, rozczarowani: -2, rozczarowanie: -2, zły: -2, zła: -2, złe: -2, źle: -2, fatalny: -3, fatalnie: -3,
      okropny: -3, okropnie: -3, skarga: -2, skargi: -2, wyczerpany: -2, zmęczeni: -2, brudny: -2, brudne: -2, niebezpieczny: -2, zgubiony: -2, odwołany: -1, gorszy: -2, gorzej: -2,
      najgorszy: -3, bezużyteczny: -2, wściekły: -3, problem: -2, problemy: -2, katastrofa: -3, niestety: -1, zaniedbany: -2, zaniedbane: -2,
    },
  },
  nld: {
    negators: ["niet", "geen", "nooit", "niets", "niemand", "zonder", "noch", "nergens"],
    postNegators: ["niet"],
    intensifiers: ["zeer", "heel", "erg", "echt", "ontzettend", "enorm", "te", "zo", "totaal", "volledig", "absoluut", "bijzonder", "hartstikke", "super"],
    softeners: ["beetje", "enigszins", "vrij", "redelijk", "nogal", "tamelijk"],
    contrast: ["maar", "echter", "toch", "hoewel"],
    supplement: {
      bedankt: 2, dank: 2, dankbaar: 3, "goed gedaan": 3, uitstekend: 4, geweldig: 3, prima: 2, perfect: 3, soepel: 2, trots: 2, tevreden: 2, behulpzaam: 2, efficiënt: 2, stipt: 2,
      betrouwbaar: 2, comfortabel: 2, verbeterd: 2, succes: 3, succesvol: 3, geslaagd: 3, fantastisch: 3, top: 3, goed: 2, goede: 2, fijn: 2, fijne: 2, mooi: 2,
      vertraging: -2, vertraagd: -2, vertragingen: -2, laat: -1, koud: -1, kapot: -2, defect: -2, storing: -2, mislukt: -2, tekort: -2, tekorten: -2, chaos: -3, chaotisch: -3,
      onaanvaardbaar: -3, frustrerend: -2, teleurgesteld: -2, teleurstellend: -2, slecht: -2, slechte: -2, verschrikkelijk: -3, vreselijk: -3, klacht: -2, klachten: -2,
      uitgeput: -2, vies: -2, gevaarlijk: -2, kwijt: -2, geannuleerd: -1, slechter: -2, slechtst: -3, nutteloos: -2, boos: -3, probleem: -2, problemen: -2, helaas: -1, ramp: -3,
    },
  },
  tur: {
    negators: ["hiç", "asla", "hiçbir", "yok", "olmadan", "ne"],
    postNegators: ["değil", "değildi", "değiliz", "yok", "olmadı", "olmaz"],
    intensifiers: ["çok", "gerçekten", "son derece", "aşırı", "fazla", "oldukça", "tamamen", "kesinlikle", "müthiş", "gayet", "pek"],
    softeners: ["biraz", "hafif", "nispeten", "az"],
    contrast: ["ama", "fakat", "ancak", "lakin", "rağmen"],
    supplement: {
      teşekkür: 2, teşekkürler: 2, minnettar: 3, tebrik: 3, tebrikler: 3, aferin: 3, mükemmel: 4, harika: 3, muhteşem: 4, kusursuz: 3, gurur: 2, memnun: 2, verimli: 2,
      yararlı: 2, faydalı: 2, dakik: 2, güvenilir: 2, rahat: 2, başarı: 3, başarılı: 3, iyi: 2, güzel: 2, süper: 3, sorunsuz: 3,
      gecikme: -2, gecikti: -2, gecikmeli: -2, geç: -1, soğuk: -1, bozuk: -2, arıza: -2, başarısız: -2, eksik: -2, eksiklik: -2, kaos: -3, "kabul edilemez": -3,
      sinir: -2, "hayal kırıklığı": -2, kötü: -2, berbat: -3, korkunç: -3, şikayet: -2, şikayetler: -2, yorgun: -2, bitkin: -2, kirli: -2, tehlikeli: -2, kayıp: -2,
      iptal: -1, "daha kötü": -2, "işe yaramaz": -2, kızgın: -3, sorun: -2, sorunlar: -2, maalesef: -1, felaket: -3, rezalet: -3,
    },
  },
};

/**
 * Operational vocabulary that AFINN scores as emotion but that, in an alliance's staff traffic, names routine
 * activity: "live fire", "enemy forces" (the exercise's opposing force), "air support", "strike package".
 * Written from military usage, not from the labelled set; events that hurt people (casualties, injured, dead)
 * keep their valence.
 */
export const DOMAIN_NEUTRAL: Readonly<Record<string, readonly string[]>> = {
  eng: ["unit", "units", "united", "support", "supported", "supporting", "secure", "protect", "attack", "attacks", "fire", "war", "combat", "destroy", "destroyed", "threat", "threats", "enemy", "strike", "strikes", "shoot", "bomb", "battle", "fight", "fighting", "hostile", "assault", "alert", "warning", "target", "targets", "defence", "defense", "force", "forces"],
  fra: ["attaque", "feu", "ennemi", "ennemis", "combat", "tir", "tirs", "frappe", "menace", "guerre", "soutien", "appui", "sécurité", "alerte", "cible", "défense", "force", "forces"],
  deu: ["angriff", "feuer", "feind", "feindlich", "kampf", "schuss", "schießen", "bedrohung", "krieg", "unterstützung", "sicherheit", "alarm", "ziel", "verteidigung", "streitkräfte", "kräfte", "kraft"],
  spa: ["ataque", "fuego", "enemigo", "combate", "tiro", "amenaza", "guerra", "apoyo", "seguridad", "alerta", "objetivo", "defensa", "fuerzas"],
  ita: ["attacco", "fuoco", "nemico", "combattimento", "tiro", "minaccia", "guerra", "supporto", "sicurezza", "allerta", "obiettivo", "difesa", "forze"],
  pol: ["atak", "ogień", "wróg", "nieprzyjaciel", "walka", "strzelanie", "zagrożenie", "wojna", "wsparcie", "bezpieczeństwo", "alarm", "cel", "obrona", "siły"],
  nld: ["aanval", "vuur", "vijand", "gevecht", "schieten", "dreiging", "oorlog", "steun", "veiligheid", "alarm", "doel", "verdediging", "strijdkrachten"],
  tur: ["saldırı", "ateş", "düşman", "muharebe", "atış", "tehdit", "savaş", "destek", "güvenlik", "alarm", "hedef", "savunma", "kuvvetler"],
};
