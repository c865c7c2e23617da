/// <reference lib="dom" />
// A real server on 127.0.0.1 with the built dashboard, and Debian's chromium driven by playwright-core.
// Screenshots go to test/browser/artifacts/ (git-ignored) for people to look at.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { buildServer } from "../../src/server/app.js";
import { REPO_ROOT } from "../helpers/data.js";

export const ARTIFACTS = path.join(REPO_ROOT, "test/browser/artifacts");
const WEB_DIR = path.join(REPO_ROOT, "dist/web");
export const TOKEN = "browser-test-token";

/** The dashboard as `npm run build` makes it; built here when missing. */
async function ensureBuilt(): Promise<void> {
  if (existsSync(path.join(WEB_DIR, "index.html"))) return;
  const { build } = await import("vite");
  await build({ configFile: path.join(REPO_ROOT, "web/vite.config.ts"), logLevel: "error" });
}

export interface Session {
  app: FastifyInstance;
  url: string;
  browser: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/** Opens the dashboard's server; `seed` may fill the store file before the server opens it. */
export async function openDashboard(seed?: (store: string) => Promise<unknown>): Promise<Session> {
  await ensureBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const store = path.join(mkdtempSync(path.join(tmpdir(), "weft-store-")), "weft.duckdb");
  if (seed) await seed(store);
  const app = await buildServer({
    token: TOKEN,
    store,
    webDir: WEB_DIR,
    runner: { threads: 1, timeLimitS: 120, perClient: 4 },
  });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  // A fresh profile every time: nothing cached or remembered between runs.
  const profile = mkdtempSync(path.join(tmpdir(), "weft-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    viewport: { width: 1400, height: 900 },
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // WebGL (sigma) on the CPU.
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  return {
    app,
    url: address,
    browser,
    page,
    close: async () => {
      await browser.close();
      await app.close();
      rmSync(profile, { recursive: true, force: true });
      if (problems.length) throw new Error(`errors in the page: ${problems.join("; ")}`);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Whether a canvas inside `selector` has anything drawn (pixels not all one colour). */
export async function canvasDrawn(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => {
    let distinct = 0;
    for (const c of Array.from(el.querySelectorAll("canvas"))) {
      const ctx = c.getContext("2d");
      if (!ctx || c.width === 0) continue;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2] | (data[i + 3] << 24));
        if (seen.size > 50) break;
      }
      distinct = Math.max(distinct, seen.size);
    }
    return distinct;
  });
}
