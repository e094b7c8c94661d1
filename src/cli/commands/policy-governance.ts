import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { generateNoteKey, parseSignerKey } from "../../audit/index.ts";
import { loadConfig } from "../../config/index.ts";
import { ConcordError, InvalidRequest } from "../../errors/index.ts";
import { loadGovernanceKeys, parseProposalText, signLine, verifyPolicyRecord, type PolicyRecord } from "../../oversight/index.ts";

/**
 * `concord policy propose|approve|object|sign|verify|keygen`: consent governance from the command line. Signing
 * and verifying work offline; propose, approve and object talk to a gateway with a nation-admin token.
 */

function readText(path: string, what: string): string {
  try {
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (err) {
    throw new InvalidRequest(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

interface Remote { url: string; token?: string }

async function api(remote: Remote, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const token = remote.token ?? process.env["CONCORD_TOKEN"];
  if (!token) throw new InvalidRequest("give a nation-admin token with --token or CONCORD_TOKEN (e.g. from `concord token --role nation-admin`)");
  let res: Response;
  try {
    res = await fetch(new URL(path, remote.url), {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new InvalidRequest(`cannot reach the gateway at ${remote.url}: ${(err as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown> & { error?: { code?: string; message?: string } };
  if (!res.ok) throw new ConcordError(json.error?.code ?? "upstream_error", res.status, "invalid_request_error", `gateway answered ${res.status}: ${json.error?.message ?? "no message"}`);
  return json;
}

function signer(keyFile: string) {
  return parseSignerKey(readText(keyFile, "governance key file"));
}

/** The text a nation signs: a proposal's `text` field, a whole proposal JSON, or the note text itself. */
function proposalTextOf(input: string): string {
  const trimmed = input.trimStart();
  const text = trimmed.startsWith("{") ? String((JSON.parse(trimmed) as { text?: unknown }).text ?? "") : input;
  parseProposalText(text);
  return text.endsWith("\n") ? text : `${text}\n`;
}

const remoteOptions = (c: Command) => c.option("--url <url>", "gateway URL", "http://127.0.0.1:8080").option("--token <token>", "nation-admin token (or CONCORD_TOKEN)");

/** Adds the governance subcommands to the existing `policy` command (owned by policy.ts), creating it if absent. */
export function register(program: Command): void {
  const policy = program.commands.find((c) => c.name() === "policy") ?? program.command("policy").description("policy bundle and its governance");

  remoteOptions(policy.command("propose").description("propose a new policy bundle (JSON or YAML) to the nations; with --key, also sign your nation's approval"))
    .argument("<file>", "the proposed bundle (GET /admin/policy's .bundle, edited)")
    .option("--summary <text>", "what changes and why", "")
    .option("--key <file>", "your nation's governance signer key file, to approve at once")
    .action(async (file: string, opts: Remote & { summary: string; key?: string }) => {
      const bundle = parseYaml(readText(file, "bundle file")) as unknown;
      let p = await api(opts, "/admin/proposals", { bundle, summary: opts.summary });
      if (opts.key && !(p["approved_by"] as string[]).length) {
        p = await api(opts, `/admin/proposals/${String(p["id"])}/approve`, { signature: signLine(String(p["text"]), signer(opts.key)) });
      }
      process.stdout.write(`${JSON.stringify(p, null, 2)}\n`);
    });

  remoteOptions(policy.command("approve").description("approve a proposal for your nation: signed here with --key, or by the gateway for a demo nation"))
    .argument("<id>", "proposal id (prop_...)")
    .option("--key <file>", "your nation's governance signer key file")
    .option("--signature <line>", "a signature line made offline with `concord policy sign`")
    .option("--comment <text>", "comment recorded with the approval", "")
    .action(async (id: string, opts: Remote & { key?: string; signature?: string; comment: string }) => {
      let signature = opts.signature;
      if (opts.key) signature = signLine(String((await api(opts, `/admin/proposals/${id}`))["text"]), signer(opts.key));
      const p = await api(opts, `/admin/proposals/${id}/approve`, { comment: opts.comment, ...(signature ? { signature } : {}) });
      process.stdout.write(`${p["id"]}: ${p["status"]}${p["status_reason"] ? ` (${p["status_reason"]})` : ""}; approved by ${(p["approved_by"] as string[]).join(", ")}\n`);
    });

  remoteOptions(policy.command("object").description("object to a proposal (breaks silence; blocks under quorum all)"))
    .argument("<id>", "proposal id")
    .option("--comment <text>", "why", "")
    .action(async (id: string, opts: Remote & { comment: string }) => {
      const p = await api(opts, `/admin/proposals/${id}/object`, { comment: opts.comment });
      process.stdout.write(`${p["id"]}: ${p["status"]}${p["status_reason"] ? ` (${p["status_reason"]})` : ""}\n`);
    });

  policy
    .command("sign")
    .description("offline: print your nation's signature line over a proposal's text, to submit as its approval")
    .requiredOption("--key <file>", "your nation's governance signer key (PRIVATE+KEY+...)")
    .argument("[file]", "the proposal JSON or its text (default: stdin)", "-")
    .action((file: string, opts: { key: string }) => {
      process.stdout.write(signLine(proposalTextOf(readText(file, "proposal")), signer(opts.key)));
    });

  policy
    .command("keygen")
    .description("offline: make a governance key pair for a nation; put the public key in nations.X.governance_key")
    .requiredOption("--nation <code>", "nation (ISO 3166-1 alpha-3)")
    .requiredOption("--out <file>", "where to write the signer key (keep it offline)")
    .action((opts: { nation: string; out: string }) => {
      if (!/^[A-Z]{3}$/.test(opts.nation)) throw new InvalidRequest(`--nation "${opts.nation}" is not an ISO 3166-1 alpha-3 code`);
      const k = generateNoteKey(opts.nation);
      writeFileSync(opts.out, `${k.signerKey}\n`, { mode: 0o600, flag: "wx" });
      process.stdout.write(`${k.verifierKey}\n`);
    });

  policy
    .command("verify")
    .description("check that the bundle in force carries the signatures its quorum requires, back to the genesis bundle")
    .option("--config <file>", "configuration naming the nations and their governance keys")
    .option("--file <policy.json>", "a saved GET /admin/policy answer (offline)")
    .option("--url <url>", "fetch the record from this gateway instead")
    .option("--token <token>", "token for --url (or CONCORD_TOKEN)")
    .action(async (opts: { config?: string; file?: string; url?: string; token?: string }) => {
      if ((opts.file === undefined) === (opts.url === undefined)) throw new InvalidRequest("give either --file POLICY.json (offline) or --url URL");
      const cfg = loadConfig(opts.config);
      const record = (opts.file ? JSON.parse(readText(opts.file, "policy record")) : await api({ url: opts.url as string, ...(opts.token ? { token: opts.token } : {}) }, "/admin/policy")) as PolicyRecord;
      const { verifiers } = loadGovernanceKeys(cfg, { create: false });
      const v = verifyPolicyRecord(record, verifiers, cfg.network.name);
      for (const s of v.steps) process.stdout.write(`${s.ok ? "ok  " : "BAD "} ${s.version.slice(0, 16)} ${s.proposal ?? "genesis"}: ${s.detail}${s.signedBy.length ? ` [${s.signedBy.join(", ")}]` : ""}\n`);
      if (v.ok) process.stdout.write(`policy in force ${v.version} verified: ${v.steps.length - 1} adopted change(s), each signed to quorum\n`);
      else {
        process.stdout.write(`policy verification failed: ${v.problem}\n`);
        process.exitCode = 1;
      }
    });
}
