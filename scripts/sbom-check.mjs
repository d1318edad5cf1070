// Checks and tidies the CycloneDX SBOMs scripts/sbom.sh wrote; prints one line per file.
//
//   node scripts/sbom-check.mjs REPO_ROOT FILE.cdx.json...
//
// Each file must be CycloneDX 1.5 JSON with at least one component, every component with a
// name, a version and a purl, unique bom-refs, and a dependency graph that names only those.
// Tidying: the build machine's checkout path leaves the bom-refs of our own crates
// (`path+file:///home/…/crates/core#…` becomes `path+file:crates/core#…`), npm's name for the
// UI (its folder, `ui`) becomes the package's name, and the timestamp follows SOURCE_DATE_EPOCH.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [root, ...files] = process.argv.slice(2);
if (!root || files.length === 0) {
  console.error("usage: node scripts/sbom-check.mjs REPO_ROOT FILE.cdx.json...");
  process.exit(2);
}

const epoch = process.env.SOURCE_DATE_EPOCH;
let failed = false;

for (const file of files) {
  const problems = [];
  let bom;
  try {
    const text = readFileSync(file, "utf8").split(`path+file://${root}/`).join("path+file:");
    bom = JSON.parse(text);
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed = true;
    continue;
  }

  if (bom.bomFormat !== "CycloneDX") problems.push(`bomFormat is ${bom.bomFormat}`);
  if (bom.specVersion !== "1.5") problems.push(`specVersion is ${bom.specVersion}`);
  const components = Array.isArray(bom.components) ? bom.components : [];
  if (components.length === 0) problems.push("no components");
  const main = bom.metadata && bom.metadata.component;
  if (!main || !main.name || !main.version) problems.push("metadata.component lacks a name or version");

  const refs = new Set();
  const all = [...(main ? [main, ...(main.components || [])] : []), ...components];
  for (const c of all) {
    if (c["bom-ref"] === undefined) continue;
    if (refs.has(c["bom-ref"])) problems.push(`bom-ref ${c["bom-ref"]} twice`);
    refs.add(c["bom-ref"]);
  }
  for (const c of components) {
    if (!c.name || !c.version || !c.purl) problems.push(`component ${c.name}@${c.version}: name, version or purl missing`);
  }
  for (const d of bom.dependencies || []) {
    for (const r of [d.ref, ...(d.dependsOn || [])]) {
      if (!refs.has(r)) problems.push(`dependency graph names ${r}, which is no component`);
    }
  }

  if (main && main.purl && main.purl.startsWith("pkg:npm/") && main.name !== decodeURIComponent(main.purl.slice(8).split("@")[0])) {
    main.name = decodeURIComponent(main.purl.slice(8).replace(/@[^@]*$/, ""));
  }
  if (epoch && bom.metadata) bom.metadata.timestamp = new Date(Number(epoch) * 1000).toISOString();

  if (problems.length) {
    for (const p of problems.slice(0, 20)) console.error(`${file}: ${p}`);
    failed = true;
    continue;
  }
  writeFileSync(file, JSON.stringify(bom, null, 2) + "\n");
  const licensed = components.filter((c) => (c.licenses || []).length > 0).length;
  const hashed = components.filter((c) => (c.hashes || []).length > 0).length;
  console.log(
    `${basename(file)}: CycloneDX ${bom.specVersion}, ${main.name} ${main.version}: ${components.length} components ` +
      `(${licensed} with a licence, ${hashed} with a hash), ${(bom.dependencies || []).length} dependency entries`,
  );
}

process.exit(failed ? 1 : 0);
