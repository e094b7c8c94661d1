// A stand-in for a model behind the gateway: translates English to French word by word from a small
// dictionary, keeps what it does not know (as a model keeps names), and keeps ⟦n⟧ placeholders as told.
// It also answers sentiment prompts with JSON. Records every request so tests can see what left.
import type { ChatMessage, Complete } from "../../src/workloads/comms/llm.ts";

const EN_FR: Record<string, string> = {
  the: "le", convoy: "convoi", reached: "a atteint", left: "a quitté", at: "à", dawn: "l'aube", and: "et", trucks: "camions",
  sent: "a envoyé", to: "à", headquarters: "quartier général", corps: "corps", rapid: "rapide", reaction: "réaction", good: "bon",
  exercise: "exercice", was: "était", with: "avec", arrived: "est arrivé", base: "base", in: "à", staff: "état-major", our: "notre",
};

export function fakeComplete(log: ChatMessage[][] = []): Complete {
  return async (messages) => {
    log.push(messages);
    const system = messages[0]?.content ?? "";
    const user = messages[messages.length - 1]?.content ?? "";
    if (system.startsWith("Classify the sentiment")) {
      const negative = /bad|late|broken|terrible/i.test(user);
      return JSON.stringify({ label: negative ? "negative" : "neutral", score: negative ? -0.6 : 0, evidence: negative ? ["late"] : [] });
    }
    return user.replace(/⟦\d+⟧|[\p{L}']+/gu, (w) => {
      if (w.startsWith("⟦")) return w;
      const t = EN_FR[w.toLowerCase()];
      if (!t) return w;
      return w[0] === w[0]?.toUpperCase() ? t[0]?.toUpperCase() + t.slice(1) : t;
    });
  };
}
