import { test } from "node:test";
import assert from "node:assert/strict";
import { ClassificationExceeded, InvalidRequest, PayloadTooLarge } from "../../src/errors/index.ts";
import { ingestDocument, searchDocuments } from "../../src/workloads/documents/index.ts";
import { buildDocx, buildPdf, buildZip } from "./fixtures.ts";
import { postgresFactory, sqliteFactory, testGuard, type StoreFactory } from "./helpers.ts";

const PARA = "Engineers repaired the bridge over the river so that supply convoys could cross again before winter.";

for (const factory of [sqliteFactory, postgresFactory] satisfies StoreFactory[]) {
  const it = async (name: string, fn: (s: Awaited<ReturnType<StoreFactory["open"]>>["store"]) => Promise<void>) => {
    await test(`${factory.name}: ${name}`, async (t) => {
      const why = await factory.unavailable();
      if (why) return t.skip(why);
      const { store, dispose } = await factory.open();
      try { await fn(store); } finally { await dispose(); }
    });
  };

  await it("a PDF keeps its title, language, pages, headings and paragraph numbers", async (store) => {
    const pdf = buildPdf([
      [{ text: "Logistics Situation Report", size: 20 }, { text: "The northern depot received twelve fuel trucks on Monday and" }, { text: "distributed the fuel to three battalions." }, { text: "" }, { text: "Road conditions remain poor after heavy rain in the valley." }],
      [{ text: "Medical Support", size: 16 }, { text: "Field hospitals report adequate stocks of blood and bandages." }],
    ], { title: "SITREP 14 November" });
    const r = await ingestDocument(store, { filename: "sitrep.pdf", bytes: pdf, nation: "DEU" }, { guard: testGuard });
    assert.equal(r.format, "pdf");
    assert.equal(r.title, "SITREP 14 November");
    assert.equal(r.language, "eng");
    assert.equal(r.pages, 2);
    const doc = await store.get(r.document_id, "DEU");
    assert.deepEqual(doc?.passages.map((p) => [p.page, p.paragraph, p.heading, p.text]), [
      [1, 1, "Logistics Situation Report", "The northern depot received twelve fuel trucks on Monday and distributed the fuel to three battalions."],
      [1, 2, "Logistics Situation Report", "Road conditions remain poor after heavy rain in the valley."],
      [2, 1, "Medical Support", "Field hospitals report adequate stocks of blood and bandages."],
    ]);
  });

  await it("a DOCX keeps its Title and heading styles as structure", async (store) => {
    const docx = buildDocx([
      { text: "Rapport sur la logistique", style: "Title" },
      { text: "Carburant", style: "Heading1" },
      { text: "Les camions de carburant sont arrivés au dépôt du nord lundi matin, avec plusieurs jours de retard." },
      { text: "Les routes restent difficiles après les fortes pluies dans la vallée." },
    ]);
    const r = await ingestDocument(store, { filename: "rapport.docx", bytes: docx, nation: "FRA" }, { guard: testGuard });
    assert.equal(r.format, "docx");
    assert.equal(r.title, "Rapport sur la logistique");
    assert.equal(r.language, "fra");
    const doc = await store.get(r.document_id, "FRA");
    assert.deepEqual(doc?.passages.map((p) => [p.page, p.paragraph, p.heading]), [[null, 1, "Carburant"], [null, 2, "Carburant"]]);
  });

  await it("HTML uses <title>, keeps headings, and does not index scripts or styles", async (store) => {
    const html = `<!doctype html><html><head><title>Bridge repairs</title><style>.x{color:red}</style></head>
      <body><nav>Home | Reports</nav><h1>Bridge repairs</h1><p>${PARA}</p><script>var quuxvariable = 1;</script>
      <h2>Next steps</h2><ul><li>Inspect the &amp; pillars weekly.</li></ul></body></html>`;
    const r = await ingestDocument(store, { filename: "page.html", bytes: Buffer.from(html), nation: "DEU" }, { guard: testGuard });
    assert.equal(r.title, "Bridge repairs");
    const doc = await store.get(r.document_id, "DEU");
    assert.deepEqual(doc?.passages.map((p) => [p.heading, p.text]), [["Bridge repairs", PARA], ["Next steps", "Inspect the & pillars weekly."]]);
    assert.equal((await searchDocuments(store, { q: "quuxvariable", nation: "DEU" })).total, 0);
  });

  await it("Markdown and plain text: headings, paragraphs, and form feeds as pages", async (store) => {
    const md = await ingestDocument(store, { filename: "notes.md", bytes: Buffer.from(`# Bridge *repairs*\n\n${PARA}\n\n## Next steps\n\n- Inspect the pillars weekly.\n`), nation: "DEU" }, { guard: testGuard });
    assert.equal(md.title, "Bridge repairs");
    const mdDoc = await store.get(md.document_id, "DEU");
    assert.deepEqual(mdDoc?.passages.map((p) => [p.heading, p.paragraph]), [["Bridge repairs", 1], ["Next steps", 2]]);

    const txt = await ingestDocument(store, { filename: "report.txt", bytes: Buffer.from(`1. SUMMARY\n\n${PARA}\n\fSecond page paragraph about winter fuel stocks at the depot.\n`), nation: "DEU" }, { guard: testGuard });
    assert.equal(txt.pages, 2);
    const txtDoc = await store.get(txt.document_id, "DEU");
    assert.deepEqual(txtDoc?.passages.map((p) => [p.page, p.paragraph, p.heading]), [[1, 1, "1. SUMMARY"], [2, 1, "1. SUMMARY"]]);
  });

  await it("re-ingesting the same bytes returns the stored document and indexes nothing twice", async (store) => {
    const bytes = Buffer.from(`Convoy report\n\n${PARA}`);
    const a = await ingestDocument(store, { filename: "c.txt", bytes, nation: "DEU" }, { guard: testGuard });
    const b = await ingestDocument(store, { filename: "renamed.txt", bytes, nation: "DEU" }, { guard: testGuard });
    assert.equal(a.duplicate, false);
    assert.equal(b.duplicate, true);
    assert.equal(b.document_id, a.document_id);
    const found = await searchDocuments(store, { q: "bridge convoys", nation: "DEU" });
    assert.equal(found.total, 1);
    // Another nation uploading the same bytes owns its own copy: a duplicate answer would reveal DEU holds it.
    const c = await ingestDocument(store, { filename: "c.txt", bytes, nation: "FRA", releasableTo: [] }, { guard: testGuard });
    assert.equal(c.duplicate, false);
    assert.notEqual(c.document_id, a.document_id);
  });

  await it("a document the guard refuses is not stored", async (store) => {
    const bytes = Buffer.from(`NATO SECRET\n\nOperation plan for the zorblaxian crossing.\n`);
    await assert.rejects(ingestDocument(store, { filename: "plan.txt", bytes, nation: "DEU" }, { guard: testGuard }), ClassificationExceeded);
    assert.equal((await searchDocuments(store, { q: "zorblaxian", nation: "DEU" })).total, 0);
    const pdf = buildPdf([[{ text: "NATO SECRET" }, { text: "Operation plan for the zorblaxian crossing." }]]);
    await assert.rejects(ingestDocument(store, { filename: "plan.pdf", bytes: pdf, nation: "DEU" }, { guard: testGuard }), ClassificationExceeded);
    assert.equal((await searchDocuments(store, { q: "zorblaxian", nation: "DEU" })).total, 0);
  });

  await it("markings outside the body (DOCX page header, HTML meta tag, Markdown front matter) reach the guard", async (store) => {
    const body = [{ text: "Report", style: "Heading1" as const }, { text: "An ordinary paragraph about the quintarrow depot and its stocks." }];
    await assert.rejects(ingestDocument(store, { filename: "h.docx", bytes: buildDocx(body, { header: "NATO SECRET" }), nation: "DEU" }, { guard: testGuard }), ClassificationExceeded);
    const html = `<html><head><meta name="classification" content="SECRET"><title>Report</title></head><body><p>The quintarrow depot holds stocks.</p></body></html>`;
    await assert.rejects(ingestDocument(store, { filename: "h.html", bytes: Buffer.from(html), nation: "DEU" }, { guard: testGuard }), ClassificationExceeded);
    await assert.rejects(ingestDocument(store, { filename: "h.md", bytes: Buffer.from("---\ntitle: Report\nclassification:\nNATO SECRET\n---\nThe quintarrow depot holds stocks.\n"), nation: "DEU" }, { guard: testGuard }), ClassificationExceeded);
    assert.equal((await searchDocuments(store, { q: "quintarrow", nation: "DEU" })).total, 0);
    // The same DOCX without the banner is accepted: the refusal came from the header.
    const ok = await ingestDocument(store, { filename: "ok.docx", bytes: buildDocx(body, { header: "NATO UNCLASSIFIED" }), nation: "DEU" }, { guard: testGuard });
    assert.equal(ok.duplicate, false);
  });

  await it("corrupt, encrypted, binary, unsupported and oversized files get clear errors", async (store) => {
    const up = (filename: string, bytes: Uint8Array, limits?: { maxBytes: number; maxPages: number }) =>
      ingestDocument(store, { filename, bytes, nation: "DEU" }, { guard: testGuard, ...(limits ? { limits } : {}) });
    await assert.rejects(up("x.pdf", buildPdf([[{ text: "hello there" }]], { encrypt: true })), (e) => e instanceof InvalidRequest && /encrypted/.test(e.message));
    await assert.rejects(up("x.pdf", Buffer.from("%PDF-1.7\n1 0 obj garbage")), (e) => e instanceof InvalidRequest && /not a readable PDF/.test(e.message));
    await assert.rejects(up("x.docx", buildZip({ "word/document.xml": "<not-xml" })), (e) => e instanceof InvalidRequest && /DOCX/.test(e.message));
    await assert.rejects(up("x.doc", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), (e) => e instanceof InvalidRequest && /encrypted Office/.test(e.message));
    await assert.rejects(up("x.bin", Buffer.from([1, 2, 0, 3])), (e) => e instanceof InvalidRequest && /binary/.test(e.message));
    await assert.rejects(up("x.txt", Buffer.from([0x66, 0xff, 0xfe])), (e) => e instanceof InvalidRequest && /UTF-8/.test(e.message));
    await assert.rejects(up("big.txt", Buffer.alloc(2048, 0x61), { maxBytes: 1024, maxPages: 10 }), PayloadTooLarge);
    await assert.rejects(up("long.pdf", buildPdf([[{ text: "one" }], [{ text: "two" }], [{ text: "three" }]]), { maxBytes: 1 << 20, maxPages: 2 }), PayloadTooLarge);
    await assert.rejects(up("empty.txt", Buffer.alloc(0)), InvalidRequest);
  });
}

test("a file named .pdf without a %PDF- header near its start is refused at once, and a header after a few junk bytes is still read", async () => {
  const { extract } = await import("../../src/workloads/documents/index.ts");
  const html = new TextEncoder().encode("<!doctype html><html><body><p>Fuel report.</p></body></html>");
  await assert.rejects(extract("report.pdf", html), (e: unknown) => e instanceof InvalidRequest && /not a PDF/.test(e.message));
  const junk = new Uint8Array([...new TextEncoder().encode("garbage\n"), ...buildPdf([[{ text: "Fuel report." }]])]);
  const doc = await extract("report.pdf", junk);
  assert.match(doc.blocks.map((b) => b.text).join(" "), /Fuel report/);
});
