export type { Principal } from "./principal.ts";
export { hasRole } from "./principal.ts";
export { JwtVerifier } from "./jwt.ts";
export { ApiKeys, openApiKeyStore, type ApiKeyRecord, type ApiKeyStore } from "./api-keys.ts";
export { createAuthenticator, type Authenticator } from "./authenticate.ts";
export { DEMO_AUDIENCE, demoIssuer, loadOrCreateDemoKey, mintDemoToken, type DemoKey } from "./demo-idp.ts";
