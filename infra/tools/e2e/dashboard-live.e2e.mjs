// The dashboard's live updates in headless Chromium against a scripted API and WebSocket (no server): the page's
// files are read from the dashboard folder, every request and the WebSocket are answered by this script.
//
//   node infra/tools/e2e/dashboard-live.e2e.mjs <dashboard-dir>
//
// Checks that a push never sets a campaign's row to "running" (a push at 100 % or an agent's failure reads the row
// again from the API), that a live message with the sequence of the subscribe's snapshot still moves the progress,
// that a subscribe refused because the connection is not registered is sent again on a new connection, and that a
// refused API key stops the reconnects, saying why.
// Exits 0 on success, 1 with the reason otherwise. CHROMIUM overrides /usr/bin/chromium.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";

const [dashboardDir] = process.argv.slice(2);
if (!dashboardDir) {
  console.error("usage: dashboard-live.e2e.mjs <dashboard-dir>");
  process.exit(2);
}
const ORIGIN = "http://dashboard.test";
// Shorter than the list's refresh (LIST_REFRESH_MS, 10 s), which could otherwise fix a row by itself.
const WAIT_MS = 6_000;
const log = (line) => console.log(`[live] ${line}`);

const created = "2026-11-20T10:00:00Z";
const listed = (id) => ({ campaign_id: id, status: "running", progress: 33, degradation_level: "none", created_at: created });
// GET /campaigns keeps saying running: only reading a campaign again shows how its run ended.
const list = { campaigns: ["camp-done", "camp-failed", "camp-open", "camp-long"].map(listed), next_token: null };
const status = {
  "camp-done": { status: "completed", progress: 100, progress_sequence: 4 },
  "camp-failed": { status: "failed", progress: 33, progress_sequence: 3, result: { success: false, status: "failed",
    agents_executed: ["planner", "researcher"], checkpoints_created: 2, degradation_events: 0, quality_score: 0.96 } },
  // older than the snapshot below: the API read its progress before message 5
  "camp-open": { status: "running", progress: 50, progress_sequence: 4, current_agent: "writer" },
  "camp-long": { status: "running", progress: 50, progress_sequence: 3, current_agent: "writer" },
};
const campaignRequests = [];

function json(route, body, code = 200) {
  return route.fulfill({ status: code, contentType: "application/json", body: JSON.stringify(body) });
}

async function answer(route) {
  const url = new URL(route.request().url());
  const path = url.pathname;
  if (path === "/" || /^\/[\w-]+\.(js|css|html|svg|ico)$/.test(path)) {
    const file = path === "/" ? "index.html" : path.slice(1);
    const type = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" }[extname(file)];
    try {
      return await route.fulfill({ status: 200, contentType: type ?? "application/octet-stream",
        body: readFileSync(join(dashboardDir, file)) });
    } catch {
      return json(route, { error: "not_found", message: path }, 404);
    }
  }
  if (path === "/system/health-status") return json(route, { services: [], checked_at: created });
  if (path === "/system/degradation-status") {
    return json(route, { degradation_level: "none", accepting_campaigns: true, refused_content_types: [] });
  }
  if (path === "/campaigns") return json(route, list);
  const campaign = path.match(/^\/campaigns\/([\w-]+)$/);
  if (campaign && status[campaign[1]]) {
    campaignRequests.push(campaign[1]);
    return json(route, { campaign_id: campaign[1], workflow_id: `wf-${campaign[1]}`, degradation_level: "none",
      limitations: [], ...status[campaign[1]] });
  }
  if (/^\/campaigns\/[\w-]+\/performance$/.test(path)) return json(route, { runs: [] });
  if (/^\/workflows\/[\w-]+\/checkpoints$/.test(path)) return json(route, []);
  return json(route, { error: "not_found", message: `no route ${path}` }, 404);
}

const progress = (id, sequence, extra) => JSON.stringify({ type: "agent_progress", campaign_id: id, sequence,
  checkpoint_created: false, degradation_level: "none", ...extra });
// What each subscribe is answered with on a registered connection: the snapshot, then what is pushed after it.
const answers = {
  "camp-done": [progress("camp-done", 3, { status: "running", progress: 83, current_agent: "seo", message: "seo done" }),
    progress("camp-done", 4, { progress: 100, current_agent: "distribution", message: "distribution completed" })],
  "camp-failed": [progress("camp-failed", 2, { status: "running", progress: 33, current_agent: "researcher",
    message: "researcher completed" }),
  progress("camp-failed", 3, { progress: 33, current_agent: "writer", message: "writer failed at writer: boom" })],
  // the snapshot carries sequence 5 with progress read before message 5: message 5 must still apply
  "camp-open": [progress("camp-open", 5, { status: "running", progress: 50, current_agent: "writer",
    message: "writer started" }),
  progress("camp-open", 5, { progress: 67, current_agent: "editor", message: "writer completed writer: draft" })],
};

// A catch-up cut at its limit (replay_truncated): the answer to a subscribe from last_sequence 2 has the rest.
const longAnswers = (lastSequence) => lastSequence === 2
  ? [progress("camp-long", 3, { status: "running", progress: 50, current_agent: "writer", message: "rest" }),
    progress("camp-long", 3, { progress: 50, current_agent: "writer", message: "writer completed" })]
  : [progress("camp-long", 3, { status: "running", progress: 50, current_agent: "writer", message: "first part",
    replay_truncated: true, replayed_up_to: 2 }),
  progress("camp-long", 1, { progress: 17, current_agent: "planner", message: "planner completed" }),
  progress("camp-long", 2, { progress: 33, current_agent: "researcher", message: "researcher completed" })];
const longSubscribes = []; // the last_sequence of each subscribe to camp-long
const connections = []; // per connection, the campaigns it was asked to follow
let exitCode = 0;
const userDataDir = mkdtempSync(join(tmpdir(), "campaignflow-live-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.route(`${ORIGIN}/**`, answer);
  await page.routeWebSocket(/\/ws\?/, (ws) => {
    const subscribed = [];
    connections.push(subscribed);
    const registered = connections.length > 1; // the first connection's record is gone
    ws.onMessage((data) => {
      const message = JSON.parse(data);
      if (message.action !== "subscribe") return;
      subscribed.push(message.campaign_id);
      if (!registered) {
        ws.send(JSON.stringify({ type: "error", error: "invalid_request",
          message: "this connection is not registered; reconnect",
          errors: [{ field: "connection", message: "this connection is not registered; reconnect" }] }));
        return;
      }
      if (message.campaign_id === "camp-long") {
        longSubscribes.push(message.last_sequence ?? null);
        for (const answer of longAnswers(message.last_sequence)) ws.send(answer);
        return;
      }
      for (const answer of answers[message.campaign_id] ?? []) ws.send(answer);
    });
  });

  await page.goto(`${ORIGIN}/?api_key=live-test#campaign=camp-open`);
  const rowStatus = (id) => page.evaluate((campaign) => document.querySelector(
    `[data-testid="campaign-row"][data-campaign-id="${campaign}"] [data-testid="campaign-status"]`)?.textContent, id);
  const problems = [];
  const expect = async (what, predicate, arg) => {
    try {
      await page.waitForFunction(predicate, arg, { timeout: WAIT_MS });
      log(`ok: ${what}`);
    } catch {
      problems.push(what);
      log(`PROBLEM: ${what}`);
    }
  };

  const resubscribed = () => connections.length > 1 && connections[1].includes("camp-open");
  const deadline = Date.now() + WAIT_MS;
  while (!resubscribed() && Date.now() < deadline) await page.waitForTimeout(100);
  if (resubscribed()) {
    log("ok: a subscribe refused as not registered is sent again on a new connection");
  } else {
    problems.push(`a subscribe refused as not registered was not sent again (subscribes per connection:`
      + ` ${JSON.stringify(connections)})`);
  }
  await expect("the live message with the snapshot's sequence moves the progress to 67 %", () =>
    document.querySelector('[data-testid="campaign-progress"]')?.getAttribute("aria-valuenow") === "67"
      && document.querySelector('[data-testid="detail-current-agent"]')?.textContent === "editor");
  await expect("the row of the campaign pushed at 100 % shows the API's completed", () => document.querySelector(
    '[data-testid="campaign-row"][data-campaign-id="camp-done"] [data-testid="campaign-status"]')?.textContent
    === "completed");
  await expect("the row of the campaign whose agent failed shows the API's failed", () => document.querySelector(
    '[data-testid="campaign-row"][data-campaign-id="camp-failed"] [data-testid="campaign-status"]')?.textContent
    === "failed");
  const deadlineLong = Date.now() + WAIT_MS;
  while (!longSubscribes.includes(2) && Date.now() < deadlineLong) await page.waitForTimeout(100);
  if (longSubscribes.includes(2)) {
    log(`ok: a catch-up cut at its limit is asked for again from where it stopped (${JSON.stringify(longSubscribes)})`);
  } else {
    problems.push(`a catch-up cut at its limit was not asked for again (subscribes: ${JSON.stringify(longSubscribes)})`);
  }
  // A failed campaign's quality score is that of the steps that ran, and says so.
  await page.locator('[data-testid="campaign-row"][data-campaign-id="camp-failed"] [data-testid="open-campaign"]').click();
  await expect("the failed campaign's quality score says it is that of the steps that ran", () => {
    const value = document.querySelector('[data-testid="result-quality-score"]');
    return value?.textContent === "0.96" && value.previousElementSibling?.textContent === "Quality score (of the steps that ran)";
  });
  log(`rows: done ${await rowStatus("camp-done")}, failed ${await rowStatus("camp-failed")}, open`
    + ` ${await rowStatus("camp-open")}; campaigns read: ${campaignRequests.join(", ")}`);
  // A refused key: the page says so and stops reconnecting (every attempt with that key would be refused again).
  let refusedAttempts = 0;
  const refusedPage = await context.newPage();
  refusedPage.on("pageerror", (error) => pageErrors.push(error.message));
  await refusedPage.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/" || /^\/[\w-]+\.(js|css|html|svg|ico)$/.test(path)) return answer(route);
    return json(route, { message: "Unauthorized" }, 401);
  });
  await refusedPage.routeWebSocket(/\/ws\?/, (ws) => {
    refusedAttempts++;
    ws.close({ code: 1008, reason: "refused" });
  });
  await refusedPage.goto(`${ORIGIN}/?api_key=refused-key`);
  try {
    await refusedPage.waitForFunction(() => document.getElementById("socket-state")?.textContent
      === "not connected: the API key was refused", null, { timeout: WAIT_MS });
    await refusedPage.waitForTimeout(4_000); // reconnects would come after 1, 2, 4 s
    if (refusedAttempts > 2) {
      problems.push(`with a refused key the page kept reconnecting (${refusedAttempts} attempts)`);
    } else {
      log(`ok: a refused key stops live updates, saying why (${refusedAttempts} attempt(s))`);
    }
  } catch {
    problems.push(`with a refused key the live-updates state reads '${await refusedPage.evaluate(
      () => document.getElementById("socket-state")?.textContent)}' (${refusedAttempts} attempts)`);
  }
  if (pageErrors.length) problems.push(`script errors: ${pageErrors.join(" | ")}`);
  if (problems.length) throw new Error(`${problems.length} problem(s): ${problems.join("; ")}`);
  log("PASS");
} catch (error) {
  exitCode = 1;
  console.error(`FAIL: ${error.message}`);
} finally {
  await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
