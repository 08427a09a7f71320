// End-to-end test of the dashboard in headless Chromium against a running `campaignflow-local serve`.
//
//   node infra/tools/e2e/dashboard.e2e.mjs <base-url> <api-key> [screenshot.png]
//
// Creates a campaign through the form, follows it to 100 % over the WebSocket, reads its content, retries it from a
// checkpoint and follows the new execution from its start to its end, checks that API errors reach the user, saves a
// screenshot, opens a running campaign, reloads, skips a step and reads the degradation, then opens 21 more
// campaigns and checks the last one is still followed (a connection follows at most 20), pages the list past 50
// campaigns, and checks the layout at 375 px.
// Exits 0 on success, 1 with the reason (and a failure screenshot) otherwise. CHROMIUM overrides /usr/bin/chromium.
//
// The server runs with --faults editor:latency=3s (DashboardBrowserIT): a campaign is seen running between the
// writer's progress message and the editor's.
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
const EDITOR_LATENCY_MS = 3_000; // DashboardBrowserIT's --faults
const apiBase = baseUrl.replace(/\/$/, "");
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
const textOf = (id) => page.evaluate((testId) => document.querySelector(`[data-testid="${testId}"]`)?.textContent, id);

/** A JSON answer of the API, outside the page. */
async function apiCall(method, path, body) {
  const response = await fetch(`${apiBase}${path}`, { method, headers: { "content-type": "application/json",
    "x-api-key": apiKey }, body: body === undefined ? undefined : JSON.stringify(body) });
  check(response.ok, `${method} ${path} answered ${response.status}`);
  return response.json();
}

/** WCAG contrast ratios of the progress label on a full bar of each tone (ok, degraded, failed). */
function labelContrasts() {
  const channels = (color) => color.match(/[\d.]+/g).map(Number);
  const luminance = (color) => {
    const [r, g, b] = channels(color).slice(0, 3).map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const ratios = {};
  for (const tone of ["ok", "degraded", "failed"]) {
    const bar = document.createElement("div");
    bar.className = `bar ${tone}`;
    bar.innerHTML = '<div style="width: 100%"></div><span>100%</span>';
    document.querySelector('[data-testid="campaign-detail"]').append(bar);
    const label = getComputedStyle(bar.querySelector("span"));
    const opaque = (channels(label.backgroundColor)[3] ?? 1) === 1; // the label's own background, else the fill's
    const background = opaque ? label.backgroundColor : getComputedStyle(bar.firstElementChild).backgroundColor;
    ratios[tone] = Math.round(ratio(label.color, background) * 100) / 100;
    bar.remove();
  }
  return ratios;
}

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

/** Waits until the selected campaign has ended: progress 100, a final status and its checkpoints usable. */
async function waitForCompletion(what) {
  await page.waitForFunction(() => {
    const bar = document.querySelector('[data-testid="campaign-progress"]');
    const status = document.querySelector('[data-testid="detail-status"]')?.textContent;
    return bar?.getAttribute("aria-valuenow") === "100" && /^completed/.test(status ?? "")
      && !document.querySelector('[data-testid="checkpoint-row"] button[aria-disabled="true"]:not([data-unavailable])');
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
  check(await byTestId("field-campaign-id").getAttribute("aria-invalid") === "true"
    && (await textOf("field-campaign-id-error") ?? "").length > 0, "the invalid campaign id is not marked next to it");

  // The API's 400 is shown next to each field it names, the first of them focused.
  const sampleKeywords = await byTestId("field-keywords").inputValue();
  const sampleParameters = await byTestId("field-agent-parameters").inputValue();
  await byTestId("field-campaign-id").fill(`e2e-refused-${Date.now()}`);
  await byTestId("field-keywords").fill("pricing, Pricing");
  await byTestId("field-agent-parameters").fill('{"writer": {"tone": "shouty"}}');
  await byTestId("create-campaign").click();
  await byTestId("field-keywords-error").waitFor({ state: "visible", timeout: 10_000 });
  const fieldErrors = { keywords: await textOf("field-keywords-error"),
    parameters: await textOf("field-agent-parameters-error") };
  check(/^keywords\[1\]: /.test(fieldErrors.keywords) && /tone/.test(fieldErrors.parameters ?? "")
    && await page.evaluate(() => document.activeElement?.id) === "f-keywords"
    && await byTestId("field-campaign-id").getAttribute("aria-invalid") === null,
  `the API's field errors are not shown next to their fields: ${JSON.stringify(fieldErrors)}`);
  log(`field errors shown: ${JSON.stringify(fieldErrors)}`);
  await byTestId("field-keywords").fill(sampleKeywords);
  await byTestId("field-agent-parameters").fill(sampleParameters);

  // Create a campaign from the prefilled sample.
  const campaignId = `e2e-${Date.now()}`;
  await byTestId("field-campaign-id").fill(campaignId);
  await byTestId("create-campaign").click();
  await byTestId("create-error").waitFor({ state: "hidden" });
  check(await page.locator(".field-error").count() === 0, "field errors stay after a valid create");
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

  // The content is readable: every step's output, the article, the SEO title and meta description, the posts.
  const outputs = (await apiCall("GET", `/campaigns/${campaignId}`)).result.intermediate_results;
  const shownSteps = await page.locator('[data-testid="result-step"]').evaluateAll((d) => d.map((x) => x.dataset.step));
  check(Object.keys(outputs).every((step) => shownSteps.includes(step)),
    `the result shows the output of ${shownSteps.join(", ") || "no step"}, not of ${Object.keys(outputs).join(", ")}`);
  const step = (name) => page.locator(`[data-testid="result-step"][data-step="${name}"]`);
  await step("writer").locator("summary").first().click();
  check((await step("writer").innerText()).includes(outputs.writer.article.title),
    "the writer's article title is not shown when its step is opened");
  await step("seo").locator("summary").first().click();
  check((await step("seo").innerText()).includes(outputs.seo.meta_description.text), "the SEO meta description is not shown");
  check(await step("distribution").locator('[data-testid="result-posts"] li').count() === outputs.distribution.posts.length,
    "the distribution posts are not listed");
  const editorJson = JSON.parse(await step("editor").locator('[data-testid="result-step-json"]').textContent());
  check(editorJson.article?.title === outputs.editor.article.title, "the editor's output is not shown as JSON");

  // The progress label is readable on every bar colour, and the status is announced.
  const contrasts = await page.evaluate(labelContrasts);
  check(Object.values(contrasts).every((r) => r >= 4.5),
    `the progress label's contrast is below 4.5:1: ${JSON.stringify(contrasts)}`);
  check(await byTestId("detail-status").getAttribute("aria-live") === "polite", "the status is not a polite live region");
  await expectNoErrors("after the first run");

  // Only the resumes the API takes are offered: nothing is left to continue or skip after the last checkpoint.
  const lastRow = page.locator('[data-testid="checkpoint-row"]').last();
  for (const action of ["continue", "skip"]) {
    const button = lastRow.locator(`[data-testid="checkpoint-${action}"]`);
    check(await button.getAttribute("aria-disabled") === "true" && /Not offered/.test(await button.getAttribute("title")),
      `${action} after the last checkpoint is offered: aria-disabled ${await button.getAttribute("aria-disabled")}`);
    await button.click({ force: true }); // a user can still click it: nothing may be sent
  }
  const notice = await byTestId("notice-banner").isVisible() ? await byTestId("notice-banner").textContent() : "";
  check(await byTestId("detail-error").isHidden() && !/ from /.test(notice),
    `a resume that was not offered was sent: "${notice}" ${await textOf("detail-error")}`);
  check(/nothing is left to run/.test(await lastRow.locator('[data-testid="checkpoint-instructions"]').textContent()),
    "the last checkpoint's resume instructions are not shown");

  // An API error is shown to the user: a retry with parameters the writer cannot run with (400).
  await byTestId("resume-parameters").fill('{"writer": {"tone": "shouty"}}');
  await lastRow.locator('[data-testid="checkpoint-retry"]').click();
  await byTestId("detail-error").waitFor({ state: "visible", timeout: 10_000 });
  const refused = await byTestId("detail-error").textContent();
  check(/HTTP 400/.test(refused) && /tone/.test(refused), `the refused retry did not show the API's 400: "${refused}"`);
  log(`API error shown: ${refused}`);
  await byTestId("resume-parameters").fill("");

  // Retry from the editor's checkpoint: a new execution reruns the editor and what follows it.
  const editorRow = page.locator('[data-testid="checkpoint-row"][data-agent="editor"]').first();
  const retryRow = await editorRow.count() ? editorRow : page.locator('[data-testid="checkpoint-row"]').nth(2);
  const retryFrom = await retryRow.getAttribute("data-checkpoint-id");
  await retryRow.locator('[data-testid="checkpoint-retry"]').click();
  await page.waitForFunction(() => /^retry from/.test(
    document.querySelector('[data-testid="notice-banner"]:not([hidden])')?.textContent ?? ""), null, { timeout: 10_000 })
    .catch(async () => { throw new Failure(`the retry was not confirmed: ${(await visibleErrors()).join(" | ")}`); });
  log(`retry from ${retryFrom}: ${await byTestId("notice-banner").textContent()}`);
  // The new execution replaces the finished run's 100 % at once with the API's progress (that of the checkpoint it
  // resumes from), not only at its first message, which the editor's latency holds back.
  await page.waitForFunction(() => {
    const value = (id) => document.querySelector(`[data-testid="${id}"]`);
    return value("detail-status").textContent === "running"
      && Number(value("campaign-progress").getAttribute("aria-valuenow")) < 100
      && !["distribution", "—", ""].includes(value("detail-current-agent").textContent);
  }, null, { timeout: EDITOR_LATENCY_MS - 1_000 }).catch(async () => {
    throw new Failure(`after the retry the progress still shows the previous run: status "${await textOf("detail-status")}",`
      + ` ${await byTestId("campaign-progress").getAttribute("aria-valuenow")} %, agent`
      + ` "${await textOf("detail-current-agent")}", message "${await textOf("detail-message")}"`);
  });
  log(`the retry shows ${await byTestId("campaign-progress").getAttribute("aria-valuenow")} % after`
    + ` ${await textOf("detail-current-agent")} before its first message`);
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

  // Opening a running campaign shows its current agent, degradation and a message at once, from the API, while the
  // editor holds back the next message. Its list row is followed (and has a live entry) before it is opened.
  const sample = JSON.parse(readFileSync(join(here, "../../../events/create-campaign.json"), "utf8"));
  const runningId = `e2e-running-${Date.now()}`;
  await apiCall("POST", "/campaigns", { ...sample, campaign_id: runningId });
  const waitedFrom = Date.now();
  while ((await apiCall("GET", `/campaigns/${runningId}`)).current_agent !== "writer") {
    check(Date.now() - waitedFrom < 20_000, `${runningId} did not reach the writer`);
    await page.waitForTimeout(50);
  }
  await byTestId("resume-parameters").fill('{"writer": {"tone": "formal"}}');
  await byTestId("refresh-campaigns").click();
  const runningRow = page.locator(`[data-testid="campaign-row"][data-campaign-id="${runningId}"]`);
  await runningRow.locator('[data-testid="campaign-row-progress"]').waitFor({ timeout: 5_000 });
  await runningRow.locator('[data-testid="open-campaign"]').click();
  await page.waitForFunction((id) => {
    const value = (testId) => document.querySelector(`[data-testid="${testId}"]`)?.textContent;
    return value("detail-campaign-id") === id && value("detail-current-agent") === "writer"
      && value("detail-degradation") === "none" && !["", "—"].includes(value("detail-message"));
  }, runningId, { timeout: EDITOR_LATENCY_MS - 1_000 }).catch(async () => {
    throw new Failure(`the running campaign opened shows agent "${await textOf("detail-current-agent")}", degradation`
      + ` "${await textOf("detail-degradation")}", message "${await textOf("detail-message")}"`);
  });
  log(`opened running ${runningId}: ${await textOf("detail-current-agent")}, "${await textOf("detail-message")}"`);
  check(await byTestId("resume-parameters").inputValue() === "", "the resume parameters of another campaign are kept");
  check(await page.evaluate(() => document.activeElement?.id) === "detail-heading",
    "after Open the focus is not on the campaign's heading");

  // The campaign being viewed survives a reload.
  check(page.url().includes(`#campaign=${runningId}`), `the address does not name the campaign: ${page.url()}`);
  await page.reload();
  await page.waitForFunction((id) => document.querySelector('[data-testid="detail-campaign-id"]')?.textContent === id,
    runningId, { timeout: 10_000 }).catch(() => { throw new Failure("the campaign viewed is not reopened on reload"); });
  await waitForCompletion(`the running campaign ${runningId}`);

  // Skipping the step after the writer's checkpoint: the result names the degradation and its limitation.
  await page.locator('[data-testid="checkpoint-row"][data-agent="writer"] [data-testid="checkpoint-skip"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="detail-status"]')?.textContent
    === "completed_degraded" && document.querySelector('[data-testid="result-degradation"]'), null,
  { timeout: RUN_TIMEOUT_MS }).catch(async () => {
    throw new Failure(`the skip did not end degraded with its degradation listed: "${await textOf("detail-status")}"`);
  });
  const degradation = await page.locator('[data-testid="result-degradation"][data-step="editor"]').textContent()
    .catch(() => "");
  check(degradation.includes("none (step skipped)"), `the skipped editor is not listed as degraded: "${degradation}"`);
  const limitations = await page.locator('[data-testid="result-limitation"]').allTextContents();
  check(limitations.some((l) => l.startsWith("editor:")), `the skip's limitation is not listed: ${limitations.join(" | ")}`);
  log(`skip shown: ${degradation}`);
  await expectNoErrors("after the skip");

  // A connection follows at most 20 campaigns and the server has no unsubscribe: after opening 21 the last one is
  // still followed live (the dashboard reconnects and subscribes to it first).
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

  // The list comes 50 at a time, newest first: with more campaigns than that, the oldest show on "Show older".
  const total = await page.locator('[data-testid="campaign-row"]').count();
  const more = 51 - total;
  for (let i = 1; i <= more; i++) {
    await apiCall("POST", "/campaigns", { ...sample, campaign_id: `e2e-page-${Date.now()}-${i}` });
  }
  const all = (await apiCall("GET", "/campaigns?limit=100")).campaigns;
  check(all.length === 51, `the API lists ${all.length} campaigns, not 51`);
  const oldest = all[50].campaign_id;
  await byTestId("refresh-campaigns").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="campaign-row"]').length === 50
    && !document.querySelector('[data-testid="older-campaigns"]').hidden, null, { timeout: 15_000 })
    .catch(async () => {
      throw new Failure(`with 51 campaigns the list does not show the newest 50 and "Show older": `
        + `${await page.locator('[data-testid="campaign-row"]').count()} rows`);
    });
  check(await page.locator(`[data-testid="campaign-row"][data-campaign-id="${oldest}"]`).count() === 0,
    `the oldest campaign, ${oldest}, is on the first page`);
  await byTestId("older-campaigns").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="campaign-row"]').length === 51
    && document.querySelector('[data-testid="older-campaigns"]').hidden, null, { timeout: 15_000 })
    .catch(() => { throw new Failure('"Show older campaigns" did not add the 51st campaign'); });
  check(await page.locator(`[data-testid="campaign-row"][data-campaign-id="${oldest}"]`).count() === 1,
    `the oldest campaign, ${oldest}, is not shown after "Show older campaigns"`);
  // a refresh keeps both pages, now 50 and 2 campaigns after one more was created
  await apiCall("POST", "/campaigns", { ...sample, campaign_id: `e2e-page-${Date.now()}-last` });
  await byTestId("refresh-campaigns").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="campaign-row"]').length === 52, null,
    { timeout: 15_000 }).catch(() => { throw new Failure("a refresh after a new campaign does not show all 52"); });
  log(`paged list: 50 newest, then ${more} created for it and the oldest on "Show older"`);

  // At 375 px the page does not scroll sideways and the detail's forms wrap instead of cutting off their buttons.
  await page.setViewportSize({ width: 375, height: 800 });
  const layout = await page.evaluate(() => {
    const right = (testId) => document.querySelector(`[data-testid="${testId}"]`).getBoundingClientRect().right;
    return { page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
      detail: right("campaign-detail"), rerun: right("rerun"), manual: right("create-manual-checkpoint") };
  });
  check(layout.page <= layout.viewport, `at 375 px the page is ${layout.page} px wide`);
  check(layout.rerun <= layout.detail && layout.manual <= layout.detail,
    `at 375 px buttons are cut off: ${JSON.stringify(layout)}`);
  await page.setViewportSize({ width: 1280, height: 900 });

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
