/**
 * serve-fabric-16k: the dashboard's fabric view of the 16,384-GPU example (Llama 3 405B on 2,048 H100
 * servers, 3-tier fat-tree) in headless chromium (Debian's, WebGL through SwiftShader), from the click on
 * the fabric tab to the first frame drawn and one zoom answered: the API builds the fabric, the page lays
 * it out and sigma draws it. The fabric opens as its overview (pods and planes, bundled edges): drawnEdges
 * is what sigma draws, detailedEdges what the overview stands for (one node per server). Prepare starts
 * the server and the browser and loads the scenario. Target: 3 s.
 */
import type { Page } from "playwright-core";
import { openDashboard, type Session, TOKEN } from "../../test/browser/harness.js";
import type { BenchCase } from "../case.js";

let session: Session | undefined;

async function rendered(page: Page): Promise<number> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="fabric-graph"]')?.getAttribute("data-rendered-ms"),
    null,
    { timeout: 120_000 },
  );
  return Number(await page.getByTestId("fabric-graph").getAttribute("data-rendered-ms"));
}

const bench: BenchCase = {
  name: "serve-fabric-16k",
  description: "fabric view of 16,384 GPUs drawn and zoomable in headless chromium",
  targetS: 3,
  quick: false,
  async prepare() {
    session = await openDashboard();
    const { page, url } = session;
    await page.goto(`${url}/#token=${TOKEN}`);
    await page.getByTestId("examples").selectOption("training-llama3-405b-16k-h100");
    await page.getByTestId("validation").filter({ hasText: "405B" }).waitFor({ timeout: 60_000 });
  },
  async run() {
    const page = session!.page;
    const clicked = Date.now();
    await page.getByTestId("tab-fabric").click();
    const drawMs = await rendered(page);
    const clickToDrawMs = Date.now() - clicked;
    const fetchMs = await page.evaluate(() => {
      const e = performance
        .getEntriesByType("resource")
        .filter((r) => r.name.endsWith("/api/fabric"))
        .at(-1);
      return e ? Math.round(e.duration) : -1;
    });
    const zoomStart = Date.now();
    const box = (await page.getByTestId("fabric-graph").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -200);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const zoomMs = Date.now() - zoomStart;
    const [nodes, edges, detailedEdges] = await Promise.all(
      ["data-nodes", "data-edges", "data-detailed-edges"].map(async (a) =>
        Number(await page.getByTestId("fabric-graph").getAttribute(a)),
      ),
    );
    return {
      extra: {
        drawnNodes: nodes,
        drawnEdges: edges,
        detailedEdges,
        clickToDrawMs,
        layoutAndDrawMs: drawMs,
        fetchMs,
        zoomMs,
      },
    };
  },
  async cleanup() {
    await session?.close();
  },
};

export default bench;
