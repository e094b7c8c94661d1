import type { ConfigInput } from "./schema.ts";

/**
 * The built-in demo alliance: eight nations with different residency rules, each signing in through its own
 * demo IdP, and model endpoints in several jurisdictions. Upstream URLs point at loopback ports where an operator
 * would run vLLM, llama.cpp server or Ollama; `local` is the embedded llama.cpp engine over ./models/model.gguf.
 */
export const DEMO_ALLIANCE = {
  network: { name: "Alliance Unclassified Network (demo)", ceiling: "NATO UNCLASSIFIED", jurisdiction: "BEL" },
  data_dir: "./data",
  jurisdictions: {
    EU: ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"],
    NATO: ["ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "ITA", "LVA", "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "TUR", "GBR", "USA"],
  },
  nations: {
    DEU: { name: "Germany", residency: ["EU"], identity: "demo", quota: { requests_per_minute: 600, tokens_per_day: 2_000_000 } },
    FRA: { name: "France", residency: ["EU"], identity: "demo", quota: { requests_per_minute: 600, tokens_per_day: 2_000_000 } },
    POL: { name: "Poland", residency: ["EU"], identity: "demo", quota: { requests_per_minute: 300, tokens_per_day: 1_000_000 } },
    NOR: { name: "Norway", residency: ["NOR", "EU"], identity: "demo", quota: { requests_per_minute: 300, tokens_per_day: 1_000_000 } },
    USA: { name: "United States", residency: ["USA"], identity: "demo", quota: { requests_per_minute: 600, tokens_per_day: 2_000_000 }, redact_personal_data: "always" },
    TUR: { name: "Türkiye", residency: ["TUR"], identity: "demo", quota: { requests_per_minute: 300, tokens_per_day: 1_000_000 } },
    GBR: { name: "United Kingdom", residency: ["GBR", "USA"], identity: "demo", quota: { requests_per_minute: 300, tokens_per_day: 1_000_000 } },
    ITA: { name: "Italy", residency: ["EU"], identity: "demo", quota: { requests_per_minute: 300, tokens_per_day: 1_000_000 } },
  },
  endpoints: [
    { id: "deu-vllm", url: "http://127.0.0.1:8101/v1", jurisdiction: "DEU", models: ["gpt-oss-120b", "bge-m3"], provider: "vLLM on alliance hardware (Germany)" },
    { id: "fra-llamacpp", url: "http://127.0.0.1:8102/v1", jurisdiction: "FRA", models: ["gpt-oss-120b", "mistral-small"], provider: "llama.cpp server (France)" },
    { id: "usa-vllm", url: "http://127.0.0.1:8103/v1", jurisdiction: "USA", models: ["gpt-oss-120b", "llama-3.3-70b"], provider: "vLLM (United States)" },
    { id: "tur-ollama", url: "http://127.0.0.1:8104/v1", jurisdiction: "TUR", models: ["gpt-oss-120b"], provider: "Ollama (Türkiye)" },
    { id: "nor-tgi", url: "http://127.0.0.1:8105/v1", jurisdiction: "NOR", models: ["gpt-oss-120b"], provider: "TGI (Norway)" },
    { id: "local", engine: "llama.cpp", model_path: "./models/model.gguf", jurisdiction: "BEL", models: ["local"], provider: "embedded llama.cpp in the gateway (Belgium)" },
  ],
  oversight: { review: ["comms.analyze", "chat.intelligence_summary"], approvals_required: 2, reviewers: "other_nation", expiry: "72h" },
  governance: { quorum: "all" },
  audit: { store: "sqlite:./data/concord.db" },
  store: { url: "sqlite:./data/concord.db" },
} satisfies ConfigInput;
