// End-to-end test of the dashboard in headless Chromium against a running `campaignflow-local serve`.
//
//   node infra/tools/e2e/dashboard.e2e.mjs <base-url> <api-key> [screenshot.png]
//
// Creates a campaign through the form, follows it to 100 % over the WebSocket, retries it from a checkpoint and
// follows the new execution to its end, checks that API errors reach the user, saves a screenshot, then opens 21
// more campaigns and checks the last one is still followed (a connection follows at most 20). Exits 0 on
// success, 1 with the reason (and a failure screenshot) otherwise. CHROMIUM overrides /usr/bin/chromium.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [baseUrl, apiKey, screenshotArg] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error("usage: dashboard.e2e.mjs <base-url> <api-key> [screenshot.png]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const screenshot = resolve(screenshotArg ?? join(here, "../../target/test-artifacts/dashboard.png"));
const RUN_TIMEOUT_MS = 120_000;
const started = Date.now();
const log = (line) => console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

class Failure extends Error {}
function check(condition, message) {
  if (!condition) throw new Failure(message);
}
// Problems that do not stop the scenario (live updates): reported together at the end.
const problems = [];
function expectSoftly(condition, message) {
  if (!condition) {
    problems.push(message);
    log(`PROBLEM: ${message}`);
  }
}

const userDataDir = mkdtempSync(join(tmpdir(), "campaignflow-e2e-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage"],
  viewport: { width: 1280, height: 900 },
  reducedMotion: "reduce", // no bar animation caught half-way in the screenshot
});
const page = context.pages()[0] ?? await context.newPage();

const pageErrors = [];
const serverErrors = [];
page.on("pageerror", (error) => pageErrors.push(error.message));
page.on("console", (message) => {
  // The browser's own reports of failed requests and handshakes are checked through the page instead.
  if (message.type() === "error" && !/Failed to load resource|WebSocket connection to/.test(message.text())) {
    pageErrors.push(`console: ${message.text()}`);
  }
});
page.on("response", (response) => {
  if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
});

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

/** The visible error messages on the page (each section's error and the banner). */
async function visibleErrors() {
  return page.locator('[role="alert"]:visible').allInnerTexts();
}

const errorsSeen = new Set();
async function expectNoErrors(when) {
  const errors = (await visibleErrors()).map((t) => t.trim()).filter((t) => t && !errorsSeen.has(t));
  errors.forEach((t) => errorsSeen.add(t));
  expectSoftly(errors.length === 0, `${when}: the page shows errors: ${errors.join(" | ")}`);
  check(pageErrors.length === 0, `${when}: script errors: ${pageErrors.join(" | ")}`);
  check(serverErrors.length === 0, `${when}: the API answered 5xx: ${serverErrors.join(" | ")}`);
  const dismiss = page.locator('[data-testid="error-banner"]:visible [aria-label="Dismiss error"]');
  if (await dismiss.count()) await dismiss.click();
}

/** Waits until the selected campaign has ended: progress 100 and a final status. */
async function waitForCompletion(what) {
  await page.waitForFunction(() => {
    const bar = document.querySelector('[data-testid="campaign-progress"]');
    const status = document.querySelector('[data-testid="detail-status"]')?.textContent;
    return bar?.getAttribute("aria-valuenow") === "100" && /^completed/.test(status ?? "");
  }, null, { timeout: RUN_TIMEOUT_MS }).catch(async () => {
    const status = await byTestId("detail-status").textContent();
    const progress = await byTestId("campaign-progress").getAttribute("aria-valuenow");
    throw new Failure(`${what} did not complete within ${RUN_TIMEOUT_MS / 1000} s: status "${status}",`
      + ` progress ${progress}, errors: ${(await visibleErrors()).join(" | ")}`);
  });
}

let exitCode = 0;
try {
  log(`opening ${baseUrl}`);
  await page.goto(`${baseUrl.replace(/\/$/, "")}/?api_key=${encodeURIComponent(apiKey)}`);
  check(!page.url().includes("api_key"), `the API key stays in the address bar: ${page.url()}`);
  check(await byTestId("api-key").inputValue() === apiKey, "the API key from ?api_key= is not in the key field");

  const connected = await page.waitForFunction(
    () => document.querySelector('[data-testid="socket-state"]')?.textContent === "connected",
    null, { timeout: 15_000 }).then(() => true, () => false);
  expectSoftly(connected, `the WebSocket did not connect: "${await byTestId("socket-state").textContent()}"`);
  await page.waitForFunction(() => document.querySelector('[data-testid="degradation-level"]')?.textContent !== "—",
    null, { timeout: 15_000 });
  log(`loaded; degradation level ${await byTestId("degradation-level").textContent()}`);
  await expectNoErrors("after loading");

  // A client-side validation error names the field and sends nothing.
  await byTestId("field-campaign-id").fill("not a valid id!");
  await byTestId("create-campaign").click();
  await byTestId("create-error").waitFor({ state: "visible" });
  check(/Campaign id/.test(await byTestId("create-error").textContent()), "the validation error does not name the field");

  // Create a campaign from the prefilled sample.
  const campaignId = `e2e-${Date.now()}`;
  await byTestId("field-campaign-id").fill(campaignId);
  await byTestId("create-campaign").click();
  await byTestId("create-error").waitFor({ state: "hidden" });
  await page.waitForFunction((id) => document.querySelector('[data-testid="detail-campaign-id"]')?.textContent === id,
    campaignId, { timeout: 10_000 });
  log(`created ${campaignId}`);
  await waitForCompletion(`campaign ${campaignId}`);
  const firstExecution = (await byTestId("detail-execution").textContent()).trim();
  log(`${campaignId} completed: ${await byTestId("detail-status").textContent()}, execution ${firstExecution}`);

  const row = page.locator(`[data-testid="campaign-row"][data-campaign-id="${campaignId}"]`);
  await row.waitFor({ state: "visible" });
  expectSoftly(await page.locator('[data-testid="feed-item"]').count() > 0, "the WebSocket did not answer the subscription");
  const pushedFirstRun = await page.locator('[data-testid="feed-item"][data-kind="pushed"]').count();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="performance-row"]').length >= 6
    && document.querySelectorAll('[data-testid="checkpoint-row"]').length >= 6, null, { timeout: 10_000 })
    .catch(() => { throw new Failure("the agent runs and checkpoints of the finished campaign are not listed"); });
  const checkpointsBefore = await page.locator('[data-testid="checkpoint-row"]').count();
  const agents = await page.locator('[data-testid="performance-row"]').evaluateAll(
    (rows) => rows.map((r) => r.dataset.agent));
  log(`agents: ${agents.join(", ")}; ${checkpointsBefore} checkpoints`);
  check(await byTestId("detail-result").isVisible(), "the final result is not shown");
  await expectNoErrors("after the first run");

  // An API error is shown to the user: nothing is left to continue after the last checkpoint (409).
  await page.locator('[data-testid="checkpoint-row"]').last().locator('[data-testid="checkpoint-continue"]').click();
  await byTestId("detail-error").waitFor({ state: "visible", timeout: 10_000 });
  const conflict = await byTestId("detail-error").textContent();
  check(/HTTP 409/.test(conflict), `continuing after the last checkpoint did not show the API's 409: "${conflict}"`);
  log(`API error shown: ${conflict}`);

  // Retry from the editor's checkpoint: a new execution reruns the editor and what follows it.
  const editorRow = page.locator('[data-testid="checkpoint-row"][data-agent="editor"]').first();
  const retryRow = await editorRow.count() ? editorRow : page.locator('[data-testid="checkpoint-row"]').nth(2);
  const retryFrom = await retryRow.getAttribute("data-checkpoint-id");
  await retryRow.locator('[data-testid="checkpoint-retry"]').click();
  await page.waitForFunction(() => /^retry from/.test(
    document.querySelector('[data-testid="notice-banner"]:not([hidden])')?.textContent ?? ""), null, { timeout: 10_000 })
    .catch(async () => { throw new Failure(`the retry was not confirmed: ${(await visibleErrors()).join(" | ")}`); });
  log(`retry from ${retryFrom}: ${await byTestId("notice-banner").textContent()}`);
  await page.waitForFunction((before) => {
    const execution = document.querySelector('[data-testid="detail-execution"]')?.textContent.trim();
    return execution && execution !== before;
  }, firstExecution, { timeout: 10_000 }).catch(() => {
    throw new Failure("the retry did not start a new execution");
  });
  await waitForCompletion(`the retry from ${retryFrom}`);
  await page.waitForFunction((before) => document.querySelectorAll('[data-testid="checkpoint-row"]').length > before,
    checkpointsBefore, { timeout: 10_000 }).catch(() => {
    throw new Failure("the retried run wrote no new checkpoint");
  });
  const secondExecution = (await byTestId("detail-execution").textContent()).trim();
  const recovered = await page.locator(`[data-testid="checkpoint-row"][data-checkpoint-id="${retryFrom}"]`
    + ' [data-testid="checkpoint-status"]').textContent();
  log(`retry completed: execution ${secondExecution}; ${retryFrom} is ${recovered};`
    + ` ${await page.locator('[data-testid="checkpoint-row"]').count()} checkpoints`);
  await byTestId("detail-error").waitFor({ state: "hidden", timeout: 5_000 }).catch(() => {});
  await expectNoErrors("after the retry");

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot ${screenshot}`);
  // counted before other campaigns are opened (the feed follows the selected campaign)
  const pushed = await page.locator('[data-testid="feed-item"][data-kind="pushed"]').count();

  // A connection follows at most 20 campaigns and the server has no unsubscribe: after opening 21 the last one is
  // still followed live (the dashboard reconnects and subscribes to it first).
  const sample = JSON.parse(readFileSync(join(here, "../../../events/create-campaign.json"), "utf8"));
  const many = [];
  for (let i = 1; i <= 21; i++) {
    const id = `e2e-many-${Date.now()}-${i}`;
    const created = await fetch(`${baseUrl.replace(/\/$/, "")}/campaigns`, {
      method: "POST", headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ ...sample, campaign_id: id }),
    });
    check(created.status === 202, `creating ${id} answered ${created.status}`);
    many.push(id);
  }
  const subscribed = [];
  page.on("websocket", (ws) => ws.on("framesent", (frame) => {
    try {
      const message = JSON.parse(frame.payload);
      if (message.action === "subscribe") subscribed.push(message.campaign_id);
    } catch { /* not ours */ }
  }));
  await byTestId("refresh-campaigns").click();
  for (const id of many) {
    const open = page.locator(`[data-testid="campaign-row"][data-campaign-id="${id}"] [data-testid="open-campaign"]`);
    await open.waitFor({ state: "visible", timeout: 20_000 });
    await open.click();
    await page.waitForFunction((campaign) => document.querySelector('[data-testid="detail-campaign-id"]')
      ?.textContent === campaign, id, { timeout: 10_000 });
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="socket-state"]')?.textContent === "connected",
    null, { timeout: 15_000 }).catch(() => {});
  await page.waitForTimeout(500);
  check(subscribed.includes(many[20]), `the 21st campaign opened was never subscribed to (subscribed to`
    + ` ${subscribed.length} campaigns)`);
  log(`opened ${many.length} campaigns: the last one is followed (${subscribed.length} subscribes sent)`);

  // Checked last, so that a missing push still leaves the rest tested and the screenshot taken.
  log(`progress messages pushed over the WebSocket: ${pushedFirstRun} in the first run, ${pushed} in all`);
  expectSoftly(pushedFirstRun > 0 && pushed > pushedFirstRun, "agent_progress messages were not pushed over the"
    + " WebSocket while the campaigns ran (only the answers to subscribe, if any, arrived)");
  check(problems.length === 0, `${problems.length} problem(s): ${problems.join("; ")}`);
  log("PASS");
} catch (error) {
  exitCode = 1;
  console.error(`FAIL: ${error instanceof Failure ? error.message : error.stack}`);
  try {
    const failure = screenshot.replace(/\.png$/, "-failure.png");
    mkdirSync(dirname(failure), { recursive: true });
    await page.screenshot({ path: failure, fullPage: true });
    console.error(`failure screenshot: ${failure}`);
  } catch { /* the browser is gone */ }
} finally {
  await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
