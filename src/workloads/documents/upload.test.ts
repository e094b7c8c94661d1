import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidRequest } from "../../errors/index.ts";
import { uploadToIngestInput } from "./upload.ts";

test("a JSON upload becomes ingest input owned by the principal's nation", () => {
  const input = uploadToIngestInput({ filename: "a.txt", content_base64: Buffer.from("hello").toString("base64"), releasable_to: ["FRA"] }, "DEU");
  assert.equal(input.nation, "DEU");
  assert.deepEqual(input.releasableTo, ["FRA"]);
  assert.equal(Buffer.from(input.bytes).toString(), "hello");
});

test("unknown fields (such as a nation in the body), bad base64 and bad nations are refused", () => {
  assert.throws(() => uploadToIngestInput({ filename: "a.txt", content_base64: "aGk=", nation: "FRA" }, "DEU"), InvalidRequest);
  assert.throws(() => uploadToIngestInput({ filename: "a.txt", content_base64: "not base64!" }, "DEU"), InvalidRequest);
  assert.throws(() => uploadToIngestInput({ filename: "a.txt", content_base64: "aGk=", releasable_to: ["fr"] }, "DEU"), InvalidRequest);
});
