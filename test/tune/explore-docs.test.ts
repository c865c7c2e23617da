// docs/explore.md describes the tuners as they are: the inference tuner is built and documented.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/data.js";

// One space between words, as the text reads whatever the line breaks.
const doc = readFileSync(path.join(REPO_ROOT, "docs/explore.md"), "utf8").replace(/\s+/g, " ");

describe("docs/explore.md on weft tune", () => {
  it("does not call the inference tuner unbuilt, and documents it", () => {
    expect(doc).not.toMatch(/not built yet/);
    expect(doc).toMatch(/### Serving: the cheapest pools that meet the SLO/);
  });

  it("says which virtual stages the training tuner tries", () => {
    expect(doc).toMatch(/vpp every count from 1 to 8/);
  });
});
