export { Config, Nation, NationCode, Role, Endpoint } from "./schema.ts";
export type { ConfigInput, LlamaEndpoint, UpstreamEndpoint } from "./schema.ts";
export { loadConfig, parseConfig, type LoadedConfig } from "./loader.ts";
export { allowedJurisdictions } from "./residency.ts";
export { parseDuration } from "./duration.ts";
export { DEMO_ALLIANCE } from "./demo.ts";
