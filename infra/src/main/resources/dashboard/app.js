// The campaignflow dashboard: plain JavaScript over the REST API (x-api-key header) and the progress WebSocket
// (?api_key=...). Everything shown comes from the API; the page computes nothing about campaigns. Data is only ever
// written with textContent, never as HTML.
//
// Served by `local serve`, it talks to its own origin (REST at /, WebSocket at /ws). Hosted elsewhere, it is pointed
// at a deployed stack once with ?api_url=<ApiUrl output>&ws_url=<WebSocketUrl output> (kept in localStorage; the
// API's CORS origin is the template's DashboardOrigin).
"use strict";

const KEY_STORAGE = "campaignflow.apiKey";
const ENDPOINT_STORAGE = { api_url: "campaignflow.apiUrl", ws_url: "campaignflow.wsUrl" };
const MAX_SUBSCRIPTIONS = 20;   // the server's limit per connection
const MAX_FEED = 200;
const SYSTEM_REFRESH_MS = 15000;
const LIST_REFRESH_MS = 10000;
const DETAIL_REFRESH_MS = 3000; // while the selected campaign runs: completion is read, not pushed
const FAILED_STATUSES = new Set(["failed", "timed_out", "aborted"]);
const ROW_REFRESH_TRIES = 5;    // a campaign's row read again after a push that may have ended its run ...
const ROW_REFRESH_RETRY_MS = 1000; // ... while the API still says running (the execution ends after its last push)

// The request of events/create-campaign.json, used to prefill the form.
const SAMPLE_CAMPAIGN = {
  company_context: "Northwind Analytics builds a privacy-first product analytics platform for mid-sized SaaS companies. "
    + "Its new release adds session replay with on-device redaction, warehouse-native funnels, and a pricing tier for "
    + "teams under 50 people.",
  target_audience: "Heads of product and growth engineers at B2B SaaS companies with 20 to 200 employees who are "
    + "replacing a legacy analytics tool",
  content_objective: "Explain how warehouse-native funnels and on-device redaction let small product teams get "
    + "trustworthy insights without sending raw user data to third parties, and drive sign-ups for the new team tier",
  priority: "high",
  content_type: "blog_post",
  strategy: "sequential",
  keywords: ["product analytics", "session replay", "privacy-first analytics", "warehouse-native funnels"],
  agent_parameters: {
    writer: { tone: "practical", target_words: 900 },
    distribution: { channels: ["linkedin", "newsletter", "x"] },
  },
};

const $ = (id) => document.getElementById(id);

const state = {
  apiKey: "",
  apiUrl: "",           // REST base URL without trailing '/'; "" is this page's origin
  wsUrl: "",            // WebSocket URL without query; "" is this page's origin + /ws
  campaigns: new Map(), // campaign_id -> row of GET /campaigns
  pagesShown: 1,        // pages of GET /campaigns the list shows (newest first), reloaded together
  olderToken: null,     // next_token after the last page shown: older campaigns follow
  // campaign_id -> {received, taken, shownSequence, snapshotShown, progress, current_agent, degradation_level, message}:
  // received is the sequence to resume after when subscribing again (every message up to it has arrived, or the first
  // snapshot stood for them), taken the sequences of the messages applied (a live push can overtake the subscribe's
  // catch-up, and arrive twice), shownSequence that of what is shown, snapshotShown whether a snapshot showed it.
  live: new Map(),
  selected: null,       // campaign_id shown in the detail panel
  keyRefused: false,    // the API answered 401/403 to the key: live updates wait for a new one
  detail: null,         // the last GET /campaigns/{id} of the selected campaign
};

// ---- API ----

class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

async function api(method, path, body) {
  const headers = { Accept: "application/json", "x-api-key": state.apiKey };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(state.apiUrl + path, init);
  } catch (error) {
    throw new ApiError(0, "network_error", `cannot reach the API (${error.message})`, null);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    // Our API answers {"error","message"}; the gateway's own refusals only {"message"}; anything else (a proxy's
    // HTML page) is summarised rather than shown.
    const plain = (response.headers.get("Content-Type") || "").startsWith("text/plain") ? text.slice(0, 300) : "";
    const error = new ApiError(response.status, json?.error ?? `http_${response.status}`,
      json?.message ?? (plain || response.statusText || "unexpected answer"), json);
    error.retryAfter = response.headers.get("Retry-After");
    if (response.status === 401 || response.status === 403) {
      state.keyRefused = true;
      showBanner(`The API key was refused (${error.message}). Enter a valid key above.`);
    }
    throw error;
  }
  state.keyRefused = false;
  return json;
}

const segment = (value) => encodeURIComponent(value);
// A checkpoint id ("wf-.../checkpoint_002") fills the greedy {checkpoint_id+}: each part is encoded and the '/'
// kept, as in events/api-resume-from-checkpoint.json (an encoded %2F is refused by some servers and proxies).
const greedy = (value) => value.split("/").map(encodeURIComponent).join("/");

function describe(error) {
  if (!(error instanceof ApiError)) return error.message;
  let text = error.status ? `${error.message} (${error.code}, HTTP ${error.status})` : error.message;
  if (error.retryAfter) text += `; retry after ${error.retryAfter} s`;
  if (error.body?.unavailable_agents?.length) text += `; unavailable: ${error.body.unavailable_agents.join(", ")}`;
  if (error.body?.previous_valid_checkpoint_id) {
    text += `; the previous valid checkpoint is ${error.body.previous_valid_checkpoint_id}`;
  }
  return text;
}

// ---- small DOM helpers ----

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else if (name === "onClick") node.addEventListener("click", value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** `source` tells who showed the error, so a background refresh never hides the answer to a user's action. */
function showError(elementId, error, source = "action") {
  const node = $(elementId);
  node.textContent = typeof error === "string" ? error : describe(error);
  node.dataset.source = source;
  node.hidden = false;
}

function clearError(elementId, source = null) {
  const node = $(elementId);
  if (source && node.dataset.source !== source) return;
  node.hidden = true;
  node.textContent = "";
  delete node.dataset.source;
}

function showBanner(text) {
  $("error-text").textContent = text;
  $("error-banner").hidden = false;
}

let noticeTimer = null;
function showNotice(text) {
  const banner = $("notice-banner");
  banner.textContent = text;
  banner.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { banner.hidden = true; }, 15000);
}

const shorten = (value, max = 240) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
const time = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
const text = (value) => (value === null || value === undefined || value === "" ? "—" : String(value));

function setProgress(bar, progress) {
  const value = Math.max(0, Math.min(100, Math.round(Number(progress) || 0)));
  bar.setAttribute("aria-valuenow", String(value));
  bar.querySelector("div").style.width = `${value}%`;
  bar.querySelector("span").textContent = `${value}%`;
}

function progressBar(label, progress, testId, status) {
  const tone = FAILED_STATUSES.has(status) ? " failed" : status === "completed_degraded" ? " degraded" : "";
  const bar = el("div", { className: `bar small${tone}`, role: "progressbar", "aria-label": label, "aria-valuemin": "0",
    "aria-valuemax": "100", "data-testid": testId }, el("div"), el("span"));
  setProgress(bar, progress);
  return bar;
}

function statusBadge(status, testId) {
  return el("span", { className: `status status-${status}`, text: text(status), "data-testid": testId });
}

/** Runs `action` once at a time per button. aria-disabled, not disabled: a disabled button would lose the focus. */
async function withBusy(button, action) {
  if (button.getAttribute("aria-busy") === "true") return;
  button.setAttribute("aria-busy", "true");
  button.setAttribute("aria-disabled", "true");
  try {
    await action();
  } finally {
    button.removeAttribute("aria-busy");
    button.removeAttribute("aria-disabled");
  }
}

// ---- API key ----

function stored(name) {
  try { return localStorage.getItem(name) || ""; } catch { return ""; }
}

function store(name, value) {
  try { localStorage.setItem(name, value); } catch { /* storage disabled: the value lives for this page only */ }
}

/** An http(s) or ws(s) URL without trailing '/', or "" when absent or not such a URL. */
function endpoint(value, protocols) {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) ? url.href.replace(/\/+$/, "") : "";
  } catch {
    return "";
  }
}

function initSettings() {
  // The dev key may come as ?api_key=..., endpoints as ?api_url=...&ws_url=...: kept like typed values, and taken
  // out of the address bar (a key in a URL ends up in history and screenshots).
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("api_key");
  if (fromUrl) store(KEY_STORAGE, fromUrl);
  for (const [param, name] of Object.entries(ENDPOINT_STORAGE)) {
    if (params.has(param)) store(name, params.get(param));
  }
  if ([...params.keys()].some((k) => k === "api_key" || k in ENDPOINT_STORAGE)) {
    ["api_key", ...Object.keys(ENDPOINT_STORAGE)].forEach((k) => params.delete(k));
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : "") + location.hash);
  }
  state.apiKey = fromUrl || stored(KEY_STORAGE);
  state.apiUrl = endpoint(stored(ENDPOINT_STORAGE.api_url), ["http:", "https:"]);
  state.wsUrl = endpoint(stored(ENDPOINT_STORAGE.ws_url), ["ws:", "wss:"]);
  $("api-key").value = state.apiKey;
  $("api-endpoint").textContent = state.apiUrl || location.origin;
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.apiKey = $("api-key").value.trim();
  state.keyRefused = false;
  store(KEY_STORAGE, state.apiKey);
  $("error-banner").hidden = true;
  state.campaigns.clear();
  state.pagesShown = 1;
  state.olderToken = null;
  state.live.clear();
  select(null);
  start();
});

$("error-dismiss").addEventListener("click", () => { $("error-banner").hidden = true; });

// ---- system ----

async function refreshSystem() {
  try {
    const [health, degradation] = await Promise.all([
      api("GET", "/system/health-status"), api("GET", "/system/degradation-status")]);
    clearError("system-error");
    const level = $("degradation-level");
    level.textContent = degradation.degradation_level;
    level.className = `level level-${degradation.degradation_level}`;
    const refused = (degradation.refused_content_types || []).map((r) => r.content_type);
    $("accepting").textContent = !degradation.accepting_campaigns ? "— not accepting campaigns"
      : refused.length ? `— accepting campaigns except ${refused.join(", ")}` : "— accepting campaigns";
    $("system-checked").textContent = `checked ${time(health.checked_at)}`;
    const rows = (health.services || []).map((service) => el("tr", { "data-testid": "health-row",
      "data-service": service.service_name },
      el("th", { scope: "row", text: service.service_name }),
      el("td", {}, statusBadge(service.health_status)),
      el("td", { text: text(service.failure_count) }),
      el("td", { text: time(service.last_check) }),
      el("td", { text: service.recovery_time ? time(service.recovery_time) : "—" })));
    if (rows.length === 0) {
      rows.push(el("tr", {}, el("td", { colspan: "5", className: "muted", text: "No service has reported yet." })));
    }
    $("health-rows").replaceChildren(...rows);
  } catch (error) {
    showError("system-error", error);
  }
}

$("refresh-system").addEventListener("click", (event) => withBusy(event.currentTarget, refreshSystem));

// ---- create ----

function freshCampaignId() {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const random = Math.random().toString(36).slice(2, 6);
  return `camp-${stamp}-${random}`;
}

function prefillForm() {
  $("f-campaign-id").value = freshCampaignId();
  $("f-company-context").value = SAMPLE_CAMPAIGN.company_context;
  $("f-target-audience").value = SAMPLE_CAMPAIGN.target_audience;
  $("f-content-objective").value = SAMPLE_CAMPAIGN.content_objective;
  $("f-priority").value = SAMPLE_CAMPAIGN.priority;
  $("f-content-type").value = SAMPLE_CAMPAIGN.content_type;
  $("f-strategy").value = SAMPLE_CAMPAIGN.strategy;
  $("f-keywords").value = SAMPLE_CAMPAIGN.keywords.join(", ");
  $("f-agent-parameters").value = JSON.stringify(SAMPLE_CAMPAIGN.agent_parameters, null, 2);
}

function labelOf(input) {
  return document.querySelector(`label[for="${input.id}"]`)?.firstChild?.textContent.trim() ?? input.name;
}

/** Parses an optional JSON-object field; throws an Error naming the field. */
function jsonObjectField(input) {
  const raw = input.value.trim();
  if (!raw) return undefined;
  let value;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw Object.assign(new Error(`${labelOf(input)} is not valid JSON: ${error.message}`), { input });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw Object.assign(new Error(`${labelOf(input)} must be a JSON object`), { input });
  }
  return value;
}

/**
 * Says next to each form field what is wrong with it: `problems` are the API's `errors` ({field, message}, the field
 * a request path such as "keywords[1]" or "agent_parameters.writer.tone") or the browser's own check of one input.
 * The first field named gets the focus; fields the form does not have are left to the banner.
 */
function markFieldErrors(form, problems) {
  clearFieldErrors(form);
  let first = null;
  for (const { field, message, input: named } of problems) {
    const input = named ?? form.querySelector(`[name="${CSS.escape(String(field ?? "").split(/[.[]/)[0])}"]`);
    if (!input) continue;
    let note = document.getElementById(`${input.id}-error`);
    if (!note) {
      note = el("p", { id: `${input.id}-error`, className: "error field-error", "data-testid": `${input.dataset.testid}-error` });
      input.after(note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      first ??= input;
    }
    note.append(el("span", { text: field && !named ? `${field}: ${message}` : message }), " ");
  }
  first?.focus();
}

function clearFieldErrors(form) {
  form.querySelectorAll(".field-error").forEach((note) => note.remove());
  form.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
}

function campaignRequest() {
  const form = $("create-form");
  for (const input of form.querySelectorAll("input, textarea, select")) {
    if (!input.checkValidity()) {
      throw Object.assign(new Error(`${labelOf(input)}: ${input.validationMessage}`), { input });
    }
  }
  const request = {
    campaign_id: $("f-campaign-id").value.trim(),
    company_context: $("f-company-context").value.trim(),
    target_audience: $("f-target-audience").value.trim(),
    content_objective: $("f-content-objective").value.trim(),
    priority: $("f-priority").value,
    content_type: $("f-content-type").value,
    strategy: $("f-strategy").value,
  };
  const keywords = $("f-keywords").value.split(",").map((k) => k.trim()).filter(Boolean);
  if (keywords.length) request.keywords = keywords;
  const parameters = jsonObjectField($("f-agent-parameters"));
  if (parameters) request.agent_parameters = parameters;
  return request;
}

$("create-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const button = event.submitter || $("create-form").querySelector("button[type=submit]");
  withBusy(button, async () => {
    clearError("create-error");
    clearFieldErrors($("create-form"));
    let request;
    try {
      request = campaignRequest();
    } catch (error) {
      showError("create-error", error.message);
      if (error.input) markFieldErrors($("create-form"), [{ input: error.input, message: error.message }]);
      return;
    }
    try {
      const created = await api("POST", "/campaigns", request);
      const limitations = created.limitations?.length ? ` Limitations: ${created.limitations.join("; ")}.` : "";
      showNotice(`Campaign ${created.campaign_id} ${created.replayed ? "was already created" : "started"}`
        + ` (degradation ${created.degradation_level}).${limitations}`);
      state.campaigns.set(created.campaign_id, {
        campaign_id: created.campaign_id, workflow_id: created.workflow_id,
        workflow_execution_id: created.workflow_execution_id, status: created.status,
        degradation_level: created.degradation_level, created_at: new Date().toISOString(),
      });
      $("f-campaign-id").value = freshCampaignId();
      renderCampaigns();
      select(created.campaign_id);
      refreshCampaigns();
    } catch (error) {
      showError("create-error", error);
      if (Array.isArray(error.body?.errors)) markFieldErrors($("create-form"), error.body.errors);
    }
  });
});

$("new-id").addEventListener("click", () => { $("f-campaign-id").value = freshCampaignId(); });

// ---- campaign list ----

// The list comes a page at a time, newest first. A refresh reloads every page shown, so that no campaign created
// meanwhile pushes others out of sight, and an older campaign resumed elsewhere shows its new status.
async function refreshCampaigns() {
  try {
    const rows = [];
    let token = null;
    let pages = 0;
    do {
      const answer = await api("GET", token ? `/campaigns?next_token=${encodeURIComponent(token)}` : "/campaigns");
      rows.push(...(answer.campaigns || []));
      token = answer.next_token ?? null;
      pages += 1;
    } while (token && pages < state.pagesShown);
    clearError("campaigns-error");
    state.campaigns.clear();
    for (const campaign of rows) state.campaigns.set(campaign.campaign_id, campaign);
    state.pagesShown = pages;
    state.olderToken = token;
    renderCampaigns();
    syncSubscriptions();
  } catch (error) {
    showError("campaigns-error", error);
  }
}

async function showOlderCampaigns() {
  if (!state.olderToken) return;
  state.pagesShown += 1;
  await refreshCampaigns();
}

function renderCampaigns() {
  const campaigns = [...state.campaigns.values()]
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  $("campaigns-empty").hidden = campaigns.length > 0;
  $("older-campaigns").hidden = !state.olderToken;
  $("campaign-rows").replaceChildren(...campaigns.map((campaign) => {
    const live = state.live.get(campaign.campaign_id);
    const selected = campaign.campaign_id === state.selected;
    return el("tr", { "data-testid": "campaign-row", "data-campaign-id": campaign.campaign_id,
      className: selected ? "selected" : "", "aria-current": selected ? "true" : undefined },
      el("th", { scope: "row", className: "code", text: campaign.campaign_id }),
      el("td", {}, statusBadge(campaign.status, "campaign-status")),
      el("td", {}, live || typeof campaign.progress === "number"
        ? progressBar(`Progress of ${campaign.campaign_id}`, live?.progress ?? campaign.progress,
          "campaign-row-progress", campaign.status)
        : el("span", { className: "muted", text: "—" })),
      el("td", { text: text(live?.degradation_level ?? campaign.degradation_level) }),
      el("td", { text: time(campaign.created_at) }),
      el("td", {}, el("button", { type: "button", className: "secondary", "data-testid": "open-campaign",
        "aria-label": `Open campaign ${campaign.campaign_id}`, text: "Open",
        onClick: () => {
          select(campaign.campaign_id);
          $("detail-heading").focus({ preventScroll: true }); // select() scrolls to it
        } })));
  }));
}

$("refresh-campaigns").addEventListener("click", (event) => withBusy(event.currentTarget, refreshCampaigns));
$("older-campaigns").addEventListener("click", (event) => withBusy(event.currentTarget, showOlderCampaigns));

// ---- campaign detail ----

/** The live entry of a campaign, created empty. */
function liveEntry(campaignId) {
  let live = state.live.get(campaignId);
  if (!live) {
    live = { received: null, taken: new Set(), shownSequence: null };
    state.live.set(campaignId, live);
  }
  return live;
}

/** Shows the selected campaign's live entry: progress bar, current agent, degradation and latest message. */
function renderLive() {
  const live = state.live.get(state.selected);
  setProgress($("d-progress"), live?.progress ?? 0);
  $("d-agent").textContent = text(live?.current_agent);
  $("d-degradation").textContent = text(live?.degradation_level);
  $("d-message").textContent = text(live?.message);
}

const HASH_PREFIX = "#campaign=";

function select(campaignId) {
  if (state.selected !== campaignId) {
    state.detail = null;
    lastResult = undefined;
    for (const id of ["d-status", "d-agent", "d-degradation", "d-workflow", "d-execution", "d-message"]) {
      $(id).textContent = "";
    }
    $("d-status").className = "status";
    $("d-limitations").replaceChildren();
    $("redrive").hidden = true;
    $("feed").replaceChildren();
    clearError("detail-error");
    $("performance-rows").replaceChildren();
    $("checkpoint-rows").replaceChildren();
    $("d-result").hidden = true;
    $("resume-parameters").value = ""; // parameters meant for one campaign are not sent for another
  }
  state.selected = campaignId;
  $("detail").hidden = !campaignId;
  // The selection survives a reload in the address (replaceState: opening campaigns does not fill the history).
  history.replaceState(null, "", location.pathname + location.search
    + (campaignId ? HASH_PREFIX + encodeURIComponent(campaignId) : ""));
  renderCampaigns();
  if (!campaignId) return;
  $("d-campaign-id").textContent = campaignId;
  renderLive();
  syncSubscriptions();
  refreshDetail();
  $("detail").scrollIntoView({ behavior: "smooth", block: "start" });
}

let detailRequest = null;
let detailAgain = false;
async function refreshDetail() {
  const campaignId = state.selected;
  if (!campaignId) return;
  if (detailRequest) { // one refresh at a time; a trigger during it asks for one more afterwards
    detailAgain = true;
    return detailRequest;
  }
  detailRequest = (async () => {
    try {
      const status = await api("GET", `/campaigns/${segment(campaignId)}`);
      if (state.selected !== campaignId) return;
      state.detail = status;
      renderStatus(status);
      const [performance, checkpoints] = await Promise.all([
        api("GET", `/campaigns/${segment(campaignId)}/performance`),
        api("GET", `/workflows/${segment(status.workflow_id)}/checkpoints`).catch((error) => {
          if (error.status === 404) return []; // no checkpoint written yet
          throw error;
        }),
      ]);
      if (state.selected !== campaignId) return;
      renderPerformance(performance.runs || []);
      renderCheckpoints(checkpoints);
      clearError("detail-error", "refresh");
    } catch (error) {
      if (state.selected === campaignId) showError("detail-error", error, "refresh");
    } finally {
      detailRequest = null;
      if (detailAgain) {
        detailAgain = false;
        refreshDetail();
      }
    }
  })();
  return detailRequest;
}

function renderStatus(status) {
  const row = state.campaigns.get(status.campaign_id);
  const live = liveEntry(status.campaign_id);
  const sequence = typeof status.progress_sequence === "number" ? status.progress_sequence : null;
  // The API's progress is shown unless a pushed message is newer; once the run has ended, it always is.
  if (status.status !== "running" || live.shownSequence === null || sequence === null || sequence >= live.shownSequence) {
    if (live.message === undefined || live.messageSequence !== sequence
      || (live.fromSnapshot && status.status !== "running")) {
      // the latest message is older than this status (or there is none): the status speaks for itself
      live.message = status.status === "running" ? "campaign is running" : `execution ended: ${status.status}`;
      live.messageSequence = sequence;
      live.fromSnapshot = false;
    }
    Object.assign(live, { progress: status.progress, current_agent: status.current_agent,
      degradation_level: status.degradation_level, snapshotShown: true });
    if (sequence !== null) live.shownSequence = Math.max(live.shownSequence ?? sequence, sequence);
  }
  if (row) {
    row.progress = status.progress;
    row.status = status.status;
    row.workflow_execution_id = status.workflow_execution_id;
    row.degradation_level = status.degradation_level;
    renderCampaigns();
  }
  const badge = $("d-status");
  if (badge.textContent !== status.status) { // changed only: the badge is a live region
    badge.textContent = status.status;
    badge.className = `status status-${status.status}`;
  }
  $("d-workflow").textContent = text(status.workflow_id);
  $("d-execution").textContent = text(status.workflow_execution_id);
  renderLive();
  $("d-limitations").replaceChildren(...(status.limitations || []).map((l) => el("li", { title: l, text: shorten(l) })));
  $("redrive").hidden = !FAILED_STATUSES.has(status.status);
  $("d-progress").classList.toggle("failed", FAILED_STATUSES.has(status.status));
  $("d-progress").classList.toggle("degraded", status.status === "completed_degraded");
  renderResult(status.result);
}

/** A Lambda failure's cause is its error JSON (errorType, errorMessage, stackTrace): the first two are the story. */
function causeText(cause) {
  try {
    const parsed = JSON.parse(cause);
    if (parsed?.errorMessage) return parsed.errorMessage;
  } catch { /* not JSON: shown as it is */ }
  return cause ?? "";
}

let lastResult; // the JSON of the result shown: an unchanged result is not drawn again (open <details> stay open)

function renderResult(result) {
  $("d-result").hidden = !result;
  const json = JSON.stringify(result ?? null);
  if (!result || json === lastResult) return;
  lastResult = json;
  const facts = [
    ["Success", result.success ? "yes" : "no"],
    ["Status", result.status],
    ["Agents executed", Array.isArray(result.agents_executed) ? result.agents_executed.join(", ") : result.agents_executed],
    ["Checkpoints", result.checkpoints_created],
    ["Degradation events", Array.isArray(result.degradation_events)
      ? result.degradation_events.length : result.degradation_events],
    ["Duration (s)", result.total_duration],
    // the mean over the steps whose output the content holds: of a campaign that did not complete, only those that ran
    [/^completed/.test(result.status ?? "") ? "Quality score" : "Quality score (of the steps that ran)",
      typeof result.quality_score === "number" ? result.quality_score.toFixed(2) : result.quality_score],
  ];
  if (result.error) facts.push(["Error", shorten(`${result.error.error ?? ""}: ${causeText(result.error.cause)}`)]);
  $("d-result-facts").replaceChildren(...facts.flatMap(([name, value]) => [
    el("dt", { text: name }),
    el("dd", { text: text(value), "data-testid": `result-${name.toLowerCase().replace(/ \(.*/, "").replace(/[^a-z]+/g, "-")}` }),
  ]));
  const degradations = (result.degradations || []).map((d) => el("li", { "data-testid": "result-degradation",
    "data-step": d.step_id }, el("strong", { text: text(d.step_id) }),
  `: ${text(d.agent)} replaced by ${text(d.replaced_by)} — ${text(d.reason)}`));
  const limitations = (result.limitations || []).map((l) => el("li", { "data-testid": "result-limitation", text: l }));
  const open = new Set([...$("d-result-more").querySelectorAll("details[open][data-step]")].map((d) => d.dataset.step));
  const steps = Object.entries(result.intermediate_results || {}).map(([step, output]) => el("details",
    { "data-testid": "result-step", "data-step": step, open: open.has(step) },
    el("summary", { text: step }),
    ...stepSummary(output),
    el("details", {}, el("summary", { text: "Full output (JSON)" }),
      el("pre", { className: "code output", "data-testid": "result-step-json", text: JSON.stringify(output, null, 2) }))));
  $("d-result-more").replaceChildren(...[
    degradations.length && el("h4", { text: "Degradations" }),
    degradations.length && el("ul", { "data-testid": "result-degradations" }, ...degradations),
    limitations.length && el("h4", { text: "Limitations" }),
    limitations.length && el("ul", { className: "limitations", "data-testid": "result-limitations" }, ...limitations),
    steps.length && el("h4", { text: "Content by step" }),
    ...steps,
  ].filter(Boolean));
}

/** The readable part of a step's output: an article, SEO title and description, distribution posts. */
function stepSummary(output) {
  const parts = [];
  const article = output?.article;
  if (article?.title) {
    parts.push(el("p", {}, el("strong", { text: article.title }),
      typeof article.word_count === "number" ? ` (${article.word_count} words)` : ""));
    if (typeof article.markdown === "string") {
      parts.push(el("pre", { className: "output", "data-testid": "result-article", text: article.markdown }));
    }
  }
  const seo = [["SEO title", output?.title?.text], ["Meta description", output?.meta_description?.text],
    ["Slug", output?.title?.text ? output.slug : undefined]].filter(([, value]) => typeof value === "string");
  if (seo.length) {
    parts.push(el("dl", { className: "facts", "data-testid": "result-seo" },
      ...seo.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })])));
  }
  if (Array.isArray(output?.posts)) {
    parts.push(el("ul", { className: "posts", "data-testid": "result-posts" }, ...output.posts.map((post) =>
      el("li", {}, el("strong", { text: text(post.channel) }), el("pre", { className: "output", text: text(post.text) })))));
  }
  return parts;
}

const outcome = (success) => (success === true ? "succeeded" : success === false ? "failed" : success);

function renderPerformance(runs) {
  const rows = [...runs].sort((a, b) => String(a.recorded_at).localeCompare(String(b.recorded_at)))
    .map((run) => el("tr", { "data-testid": "performance-row", "data-agent": run.agent_name },
      el("th", { scope: "row", text: run.agent_name }),
      el("td", { text: text(run.step_id) }),
      el("td", {}, statusBadge(outcome(run.success_status), "performance-outcome")),
      el("td", { text: typeof run.execution_time === "number" ? run.execution_time.toFixed(3) : "—" }),
      el("td", { text: typeof run.quality_score === "number" ? run.quality_score.toFixed(2) : "—" }),
      el("td", { className: "code", title: run.checkpoint_id, text: text(run.checkpoint_id?.split("/").pop()) }),
      el("td", { className: "code", text: text(run.execution_id) })));
  if (rows.length === 0) {
    rows.push(el("tr", {}, el("td", { colspan: "7", className: "muted", text: "No agent has finished yet." })));
  }
  $("performance-rows").replaceChildren(...rows);
}

function renderCheckpoints(checkpoints) {
  const running = state.detail?.status === "running";
  // The focused button is drawn anew: the focus moves to its successor.
  const focused = $("checkpoint-rows").contains(document.activeElement) ? document.activeElement : null;
  const refocus = focused && [focused.closest("tr")?.dataset.checkpointId, focused.dataset.testid];
  const rows = checkpoints.map((checkpoint) => {
    const name = checkpoint.checkpoint_id.split("/").pop();
    // an expired checkpoint is due for deletion: the API refuses to resume from it (410)
    const expired = checkpoint.status === "expired";
    // the actions the API takes from this checkpoint (listed since available_actions came to the listing)
    const offered = Array.isArray(checkpoint.available_actions) ? checkpoint.available_actions : null;
    const buttons = ["continue", "retry", "skip"].map((action) => {
      const unavailable = offered !== null && !offered.includes(action);
      return el("button", {
        type: "button", className: action === "continue" ? "" : "secondary",
        "data-testid": `checkpoint-${action}`, "data-unavailable": unavailable ? "true" : undefined,
        "aria-disabled": running || expired || unavailable ? "true" : undefined,
        title: expired ? "Expired: resume from a later checkpoint"
          : unavailable ? `Not offered from this checkpoint${offered.length ? ` (it offers ${offered.join(", ")})` : ""}`
            : running ? "Available once the current execution has ended" : undefined,
        "aria-label": `${action} from ${name} (${checkpoint.agent_name ?? checkpoint.type})`,
        text: action, onClick: (event) => {
          if (event.currentTarget.getAttribute("aria-disabled") !== "true") {
            withBusy(event.currentTarget, () => resume(checkpoint, action));
          }
        },
      });
    });
    return el("tr", { "data-testid": "checkpoint-row", "data-checkpoint-id": checkpoint.checkpoint_id,
      "data-agent": checkpoint.agent_name ?? "" },
      el("th", { scope: "row", className: "code", title: checkpoint.checkpoint_id, text: name }),
      el("td", { text: text(checkpoint.agent_name) }),
      el("td", {}, text(checkpoint.phase_name), checkpoint.resume_instructions ? el("div", { className: "muted",
        "data-testid": "checkpoint-instructions", text: checkpoint.resume_instructions }) : ""),
      el("td", { text: text(checkpoint.type) }),
      el("td", {}, statusBadge(checkpoint.status, "checkpoint-status")),
      el("td", { text: time(checkpoint.created_at) }),
      el("td", { className: "buttons" }, ...buttons));
  });
  if (rows.length === 0) {
    rows.push(el("tr", {}, el("td", { colspan: "7", className: "muted", text: "No checkpoint yet." })));
  }
  $("checkpoint-rows").replaceChildren(...rows);
  if (refocus) {
    [...$("checkpoint-rows").querySelectorAll(`[data-testid="${refocus[1]}"]`)]
      .find((button) => button.closest("tr").dataset.checkpointId === refocus[0])?.focus();
  }
}

async function resume(checkpoint, action) {
  clearError("detail-error");
  const body = { action };
  try {
    const parameters = jsonObjectField($("resume-parameters"));
    if (parameters) body.parameters = parameters;
  } catch (error) {
    showError("detail-error", error.message);
    return;
  }
  try {
    const started = await api("POST", `/workflows/resume/${greedy(checkpoint.checkpoint_id)}`, body);
    showNotice(`${action} from ${checkpoint.checkpoint_id} started execution ${started.workflow_execution_id}.`);
    runStarted(started);
  } catch (error) {
    showError("detail-error", error);
  }
}

/** A resume, rerun or redrive answered 202: the selected campaign runs again. */
function runStarted(started) {
  // What is shown is the previous run's end: the new execution's status from the API, or its first message, replaces it.
  const live = state.live.get(state.selected);
  if (live) state.live.set(state.selected, { received: live.received, taken: live.taken, shownSequence: null });
  if (state.detail) {
    state.detail = { ...state.detail, status: started.status, workflow_execution_id: started.workflow_execution_id,
      current_agent: null, progress_sequence: null, result: null };
    renderStatus(state.detail);
  }
  refreshDetail();
}

$("redrive").addEventListener("click", (event) => withBusy(event.currentTarget, async () => {
  clearError("detail-error");
  if (!state.detail) return;
  try {
    const started = await api("POST", `/workflows/${segment(state.detail.workflow_id)}/redrive`);
    showNotice(`Execution ${started.workflow_execution_id} redriven from its failed state.`);
    runStarted(started);
  } catch (error) {
    showError("detail-error", error);
  }
}));

$("rerun-form").addEventListener("submit", (event) => {
  event.preventDefault();
  withBusy(event.submitter || $("rerun-form").querySelector("button"), async () => {
    clearError("detail-error");
    const agents = $("rerun-agents").value.split(",").map((a) => a.trim()).filter(Boolean);
    if (agents.length === 0) {
      showError("detail-error", "Rerun agents: name at least one agent, e.g. editor");
      return;
    }
    const body = { agents };
    try {
      const parameters = jsonObjectField($("resume-parameters"));
      if (parameters) body.parameters = parameters;
      const started = await api("POST", `/campaigns/${segment(state.selected)}/rerun`, body);
      showNotice(`Rerun of ${agents.join(", ")} started execution ${started.workflow_execution_id}.`);
      runStarted(started);
    } catch (error) {
      showError("detail-error", error);
    }
  });
});

$("manual-form").addEventListener("submit", (event) => {
  event.preventDefault();
  withBusy(event.submitter || $("manual-form").querySelector("button"), async () => {
    clearError("detail-error");
    if (!state.detail) return;
    const note = $("manual-note").value.trim();
    try {
      const entry = await api("POST", `/workflows/${segment(state.detail.workflow_id)}/checkpoints/manual`,
        note ? { note } : {});
      showNotice(`Manual checkpoint ${entry.checkpoint_id} created.`);
      $("manual-note").value = "";
      refreshDetail();
    } catch (error) {
      showError("detail-error", error);
    }
  });
});

$("refresh-detail").addEventListener("click", (event) => withBusy(event.currentTarget, refreshDetail));

// ---- live progress over the WebSocket ----

const socket = { ws: null, attempts: 0, reconnectTimer: null, subscribed: new Set(), subscribeFailed: false };

function setSocketState(value) {
  $("socket-state").textContent = value;
  $("socket-state").dataset.state = value.split(" ")[0];
}

function connectSocket() {
  clearTimeout(socket.reconnectTimer);
  if (socket.ws) {
    const old = socket.ws;
    socket.ws = null;
    old.close(1000);
  }
  socket.subscribed.clear();
  if (!state.apiKey) {
    setSocketState("not connected");
    return;
  }
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const base = state.wsUrl || `${scheme}://${location.host}/ws`;
  const ws = new WebSocket(`${base}?api_key=${encodeURIComponent(state.apiKey)}`);
  socket.ws = ws;
  setSocketState("connecting");
  ws.addEventListener("open", () => {
    if (socket.ws !== ws) return;
    if (!socket.subscribeFailed) socket.attempts = 0; // else once a subscribe is answered

    setSocketState("connected");
    syncSubscriptions();
  });
  ws.addEventListener("message", (message) => {
    if (socket.ws === ws) handleMessage(message.data);
  });
  ws.addEventListener("close", (close) => {
    if (socket.ws !== ws) return; // replaced on purpose
    socket.ws = null;
    socket.subscribed.clear();
    reconnectLater(`code ${close.code}`);
  });
}

function reconnectLater(why) {
  if (state.keyRefused) {
    // the WebSocket's upgrade is refused with the same key: retrying would only fail again until a new key is saved
    setSocketState("not connected: the API key was refused");
    return;
  }
  const delay = Math.min(30000, 1000 * 2 ** socket.attempts++);
  setSocketState(`disconnected (${why}); reconnecting in ${Math.round(delay / 1000)} s`);
  socket.reconnectTimer = setTimeout(connectSocket, delay);
}

/**
 * A subscribe the server could not take on this connection (it lost the connection's record, or a store did not
 * answer): an error does not name its campaign, so the connection is dropped and a new one subscribes to all again.
 */
function subscribeFailed(message) {
  const ws = socket.ws;
  if (!ws) return;
  socket.ws = null;
  socket.subscribed.clear();
  socket.subscribeFailed = true;
  ws.close(1000);
  reconnectLater(`subscribe failed: ${message.message}`);
}

// Errors that say nothing about the campaign subscribed to: the same subscribe may succeed on a new connection.
const RETRIED_SUBSCRIBE_ERRORS = new Set(["busy", "store_unavailable", "internal_error"]);

/**
 * Reads a campaign's row again after a push that may have ended its run (100 %, an agent failed): the status is the
 * API's, never guessed from the push. The execution ends shortly after its last push: while the API still says
 * running, the row is read again a few times.
 */
async function refreshRow(campaignId, triesLeft = ROW_REFRESH_TRIES) {
  let status;
  try {
    status = await api("GET", `/campaigns/${segment(campaignId)}`);
  } catch {
    return; // the list's next refresh reads it
  }
  const row = state.campaigns.get(campaignId);
  if (!row) return;
  Object.assign(row, { status: status.status, progress: status.progress,
    workflow_execution_id: status.workflow_execution_id, degradation_level: status.degradation_level });
  renderCampaigns();
  if (status.status === "running" && triesLeft > 1) {
    setTimeout(() => refreshRow(campaignId, triesLeft - 1), ROW_REFRESH_RETRY_MS);
  }
}

/** Subscribes to the selected campaign and to running ones, resuming after the last sequence seen. */
function syncSubscriptions() {
  const ws = socket.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  const wanted = [];
  if (state.selected) wanted.push(state.selected);
  for (const campaign of state.campaigns.values()) {
    if (campaign.status === "running" && campaign.campaign_id !== state.selected) wanted.push(campaign.campaign_id);
  }
  if (state.selected && !socket.subscribed.has(state.selected) && socket.subscribed.size >= MAX_SUBSCRIPTIONS) {
    // The connection is full of campaigns opened earlier and the server has no unsubscribe: a fresh connection
    // follows the selected campaign first, then the running ones.
    connectSocket();
    return;
  }
  for (const campaignId of wanted) {
    if (socket.subscribed.has(campaignId)) continue;
    if (socket.subscribed.size >= MAX_SUBSCRIPTIONS) break;
    const message = { action: "subscribe", campaign_id: campaignId };
    // resume after the last message received without a gap: one overtaken by later ones is sent again
    const last = state.live.get(campaignId)?.received;
    if (typeof last === "number") message.last_sequence = last;
    ws.send(JSON.stringify(message));
    socket.subscribed.add(campaignId);
  }
}

function handleMessage(data) {
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    appendFeed(`unreadable message: ${String(data).slice(0, 200)}`, "error");
    return;
  }
  if (message.type === "error") {
    if (message.errors?.some((e) => e.field === "connection") || RETRIED_SUBSCRIBE_ERRORS.has(message.error)) {
      subscribeFailed(message);
    } else {
      showBanner(`Live updates: ${message.message} (${message.error})`);
    }
    return;
  }
  if (message.type !== "agent_progress" || !message.campaign_id) return;
  const live = liveEntry(message.campaign_id);
  // The answer to subscribe carries the campaign's status: a snapshot, not a message. Its sequence is that of the
  // latest message recorded, but its progress may be read before that message was (openapi.yaml, ProgressMessage):
  // messages are deduplicated only against the messages taken, and a message with the snapshot's sequence still
  // moves the progress. On a first subscribe the snapshot's sequence is where a later subscribe resumes.
  // Messages replayed after it (we sent last_sequence) or pushed live arrive in any order and may come twice.
  const snapshot = typeof message.status === "string";
  const sequence = typeof message.sequence === "number" ? message.sequence : null;
  if (snapshot) {
    socket.attempts = 0;
    socket.subscribeFailed = false;
    if (live.received === null) live.received = sequence;
    if (message.replay_truncated && typeof message.replayed_up_to === "number") {
      // the catch-up stopped at its limit: ask for the rest (the messages up to there follow this answer)
      socket.ws?.send(JSON.stringify({ action: "subscribe", campaign_id: message.campaign_id,
        last_sequence: message.replayed_up_to }));
    }
  } else if (sequence !== null) {
    if (live.taken.has(sequence)) return;
    live.taken.add(sequence);
    while (live.taken.has((live.received ?? 0) + 1)) live.received = (live.received ?? 0) + 1;
  }
  // Only what is not older than the progress shown moves it: a late snapshot or a replayed message is feed history.
  const newer = sequence === null || live.shownSequence === null
    || (snapshot ? sequence >= live.shownSequence
      : sequence > live.shownSequence || (sequence === live.shownSequence && live.snapshotShown));
  const row = state.campaigns.get(message.campaign_id);
  if (newer) {
    Object.assign(live, { progress: message.progress, current_agent: message.current_agent,
      degradation_level: message.degradation_level, message: message.message, messageSequence: sequence,
      fromSnapshot: snapshot, snapshotShown: snapshot, shownSequence: sequence ?? live.shownSequence });
    // A push does not say whether the run goes on: the row's status is the API's, read again when a push may have
    // ended the run (completion itself is not pushed).
    if (row && snapshot) row.status = message.status;
  }
  renderCampaigns();
  const mayHaveEnded = !snapshot && (message.progress >= 100 || / failed at /.test(message.message ?? ""));
  if (message.campaign_id !== state.selected) {
    if (mayHaveEnded && row) refreshRow(message.campaign_id);
    return;
  }
  if (newer) renderLive();
  const degraded = message.degradation_level && message.degradation_level !== "none";
  appendFeed(`${message.progress ?? "?"}% ${message.current_agent ?? "-"} [${message.degradation_level ?? "none"}]`
    + `${message.checkpoint_created ? " checkpoint" : ""} ${message.message ?? ""}`, degraded ? "degraded" : "",
  snapshot ? "snapshot" : "pushed");
  if (message.checkpoint_created || mayHaveEnded || snapshot) refreshDetail();
}

function appendFeed(line, className, kind = "error") {
  const feed = $("feed");
  feed.prepend(el("li", { className, "data-testid": "feed-item", "data-kind": kind },
    el("time", { text: new Date().toLocaleTimeString() }), ` ${line}`));
  while (feed.children.length > MAX_FEED) feed.lastElementChild.remove();
}

// ---- start ----

let timers = [];
function start() {
  timers.forEach(clearInterval);
  timers = [];
  if (!state.apiKey) {
    showNotice("Enter your API key to see your campaigns.");
    connectSocket();
    return;
  }
  refreshSystem();
  refreshCampaigns();
  connectSocket();
  const whenVisible = (fn) => () => { if (!document.hidden) fn(); };
  timers.push(setInterval(whenVisible(refreshSystem), SYSTEM_REFRESH_MS));
  timers.push(setInterval(whenVisible(refreshCampaigns), LIST_REFRESH_MS));
  timers.push(setInterval(whenVisible(() => {
    if (state.selected && (!state.detail || state.detail.status === "running")) refreshDetail();
  }), DETAIL_REFRESH_MS));
}

initSettings();
prefillForm();
start();
if (state.apiKey && location.hash.startsWith(HASH_PREFIX)) {
  select(decodeURIComponent(location.hash.slice(HASH_PREFIX.length)));
}
