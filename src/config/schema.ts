/**
 * The one schema of Concord's configuration. Types are inferred from it; every object is strict, so an unknown
 * key is an error naming its path. Defaults live here and nowhere else.
 */
import { z } from "zod";
import { parseDuration } from "./duration.ts";

export const NationCode = z.string().regex(/^[A-Z]{3}$/, "a nation is an ISO 3166-1 alpha-3 code such as DEU");
export const Role = z.enum(["analyst", "reviewer", "nation-admin", "auditor", "alliance-auditor", "alliance-admin"]);
export type Role = z.infer<typeof Role>;

const Duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a duration; write e.g. 500ms, 30s, 15m, 72h, 7d` });
    return z.NEVER;
  }
  return ms;
});
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name such as EU_VLLM_KEY");

const JwtIdentity = z
  .object({
    issuer: z.string().url(),
    jwks_uri: z.string().url().optional(),
    jwks_file: z.string().optional(),
    audience: z.string().min(1),
    algorithms: z.array(z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"])).prefault(["RS256", "PS256", "ES256", "EdDSA"]),
    roles_claim: z.string().prefault("roles"),
    subject_claim: z.string().prefault("sub"),
    clock_skew: Duration.prefault("30s"),
    /** Least time between two JWKS fetches triggered by an unknown key id (key rotation). */
    jwks_cooldown: Duration.prefault("30s"),
    /** The web console's OpenID Connect client at this IdP (authorization code flow with PKCE). */
    console: z
      .object({
        client_id: z.string().min(1),
        /** A confidential client's secret, named by environment variable; absent for a public client. */
        client_secret_env: EnvName.optional(),
        scope: z.string().prefault("openid"),
        /** RFC 8707 resource indicator sent with the request, for IdPs that issue JWT access tokens per audience. */
        resource: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => (v.jwks_uri === undefined) !== (v.jwks_file === undefined), {
    message: "give exactly one of jwks_uri (the issuer's JWKS over HTTPS) or jwks_file (a local JWKS file)",
  });

export const Nation = z
  .object({
    name: z.string().optional(),
    residency: z.array(z.string().min(2)).min(1),
    identity: z.union([z.literal("demo"), JwtIdentity]),
    quota: z
      .object({ requests_per_minute: z.number().int().positive().prefault(600), tokens_per_day: z.number().int().positive().prefault(2_000_000) })
      .strict()
      .prefault({}),
    /** When personal data is redacted before a request leaves: for endpoints outside residency, always, or never. */
    redact_personal_data: z.enum(["outside_residency", "always", "never"]).prefault("outside_residency"),
    /** Ed25519 public key (base64, raw 32 bytes) that signs this nation's governance approvals. */
    governance_key: z.string().optional(),
    /** How long content this nation's requests leave behind (held review results) is kept; audit entries stay. */
    retention: Duration.optional(),
  })
  .strict();
export type Nation = z.infer<typeof Nation>;

const Timeouts = z
  .object({ connect: Duration.prefault("2s"), first_byte: Duration.prefault("60s"), total: Duration.prefault("300s") })
  .strict()
  .prefault({});

const UpstreamEndpoint = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    url: z.string().url(),
    jurisdiction: z.string().min(2),
    models: z.array(z.string().min(1)).min(1),
    api_key_env: EnvName.optional(),
    provider: z.string().optional(),
    model_card: z.string().optional(),
    timeouts: Timeouts,
    max_connections: z.number().int().positive().prefault(128),
  })
  .strict();

const LlamaEndpoint = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    engine: z.literal("llama.cpp"),
    model_path: z.string().min(1),
    jurisdiction: z.string().min(2),
    models: z.array(z.string().min(1)).min(1).prefault(["local"]),
    provider: z.string().optional(),
    model_card: z.string().optional(),
    context_size: z.number().int().positive().prefault(2048),
    max_tokens: z.number().int().positive().prefault(256),
    /** CPU threads for generation; default one less than the cores, since spinning threads must not starve the event loop. */
    threads: z.number().int().positive().optional(),
    /** Concurrent sequences (requests generated at once). */
    parallel: z.number().int().positive().max(64).prefault(1),
  })
  .strict();

export const Endpoint = z.union([UpstreamEndpoint, LlamaEndpoint]);
export type Endpoint = z.infer<typeof Endpoint>;
export type UpstreamEndpoint = z.infer<typeof UpstreamEndpoint>;
export type LlamaEndpoint = z.infer<typeof LlamaEndpoint>;

const Quorum = z.union([
  z.literal("all"),
  z.number().int().positive(),
  z.object({ mode: z.literal("silence"), deadline: Duration }).strict(),
]);

export const Config = z
  .object({
    network: z
      .object({
        name: z.string().min(1),
        ceiling: z.string().prefault("NATO UNCLASSIFIED"),
        jurisdiction: z.string().min(2),
      })
      .strict(),
    data_dir: z.string().prefault("./data"),
    nations: z.record(NationCode, Nation).refine((n) => Object.keys(n).length > 0, "at least one nation"),
    jurisdictions: z.record(z.string().min(2), z.array(z.string().min(2))).prefault({}),
    endpoints: z.array(Endpoint).prefault([]),
    server: z
      .object({
        port: z.number().int().min(0).max(65535).prefault(8080),
        host: z.string().prefault("127.0.0.1"),
        body_limit: z.number().int().positive().prefault(4 * 1024 * 1024),
        trust_proxy: z.boolean().prefault(false),
        retries: z.number().int().min(0).max(10).prefault(2),
        breaker: z
          .object({ failures: z.number().int().positive().prefault(5), cooldown: Duration.prefault("30s") })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    quota: z
      .object({
        redis: z.string().optional(),
        redis_env: EnvName.optional(),
        prefix: z.string().regex(/^[A-Za-z0-9:_-]*$/).prefault("concord:quota:"),
        /** Replicas sharing the budgets: while Redis is unreachable each enforces 1/replicas of every budget. */
        replicas: z.number().int().min(1).prefault(1),
      })
      .strict()
      .prefault({}),
    oversight: z
      .object({
        review: z.array(z.string()).prefault([]),
        approvals_required: z.number().int().min(1).prefault(2),
        reviewers: z.enum(["other_nation", "any"]).prefault("other_nation"),
        expiry: Duration.prefault("72h"),
      })
      .strict()
      .prefault({}),
    governance: z.object({ quorum: Quorum.prefault("all") }).strict().prefault({}),
    audit: z
      .object({
        store: z.string().prefault("sqlite:./data/concord.db"),
        checkpoint_every: z.number().int().positive().prefault(1000),
        checkpoint_interval: Duration.prefault("60s"),
        origin: z.string().optional(),
        /** Longest a PostgreSQL audit store operation may take; past it the request is refused (503 audit_unavailable). */
        timeout: Duration.prefault("5s"),
        /** Verifier keys (C2SP `name+id+key`) of nations' witnesses whose co-signatures on checkpoints are kept. */
        witnesses: z.array(z.string().min(1)).prefault([]),
      })
      .strict()
      .prefault({}),
    store: z.object({ url: z.string().prefault("sqlite:./data/concord.db") }).strict().prefault({}),
    workloads: z
      .object({
        /** Model (served by an endpoint) used by workload steps that need a language model; none: embedded methods only. */
        model: z.string().optional(),
        /** Sigma rule files or folders the detect workload runs when a request brings no rules of its own. */
        sigma_rules: z.array(z.string().min(1)).prefault([]),
        /** Longest a logistics solve may run (a request may ask for less). */
        plan_time_limit: Duration.prefault("60s"),
        /** Largest uploaded document. */
        upload_limit: z.number().int().positive().prefault(32 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    guard: z
      .object({
        /**
         * A language model asked about requests the prohibited-use rules allowed; it can only add refusals. Sent
         * through the same residency routing as the request itself.
         */
        second_opinion: z
          .object({
            model: z.string().min(1),
            /** When the model cannot be asked or its answer cannot be read: refuse (fail closed) or allow. */
            on_error: z.enum(["refuse", "allow"]).prefault("refuse"),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /** Accounts whose messages may be grouped by author in comms analysis (press offices, public channels). */
    official_accounts: z.array(z.string()).prefault([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.endpoints.forEach((e, i) => {
      if (ids.has(e.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["endpoints", i, "id"], message: `duplicate endpoint id "${e.id}"` });
      ids.add(e.id);
    });
  });

export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
