// The local dashboard: calls the REST API with the saved API key and follows a campaign's progress over the
// WebSocket API (same origin as the local gateway). Everything shown comes from the API; nothing is computed here.
"use strict";

const keyInput = document.getElementById("api-key");
keyInput.value = localStorage.getItem("campaignflow.apiKey") || "";

document.getElementById("settings").addEventListener("submit", (event) => {
  event.preventDefault();
  localStorage.setItem("campaignflow.apiKey", keyInput.value);
  refreshSystem();
});

function show(elementId, value) {
  document.getElementById(elementId).textContent =
    typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

async function api(path) {
  const response = await fetch(path, { headers: { "X-Api-Key": keyInput.value } });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  if (!response.ok) {
    throw new Error(`${response.status} ${typeof body === "object" ? (body.message || body.error || text) : text}`);
  }
  return body;
}

async function refreshSystem() {
  for (const [elementId, path] of [["health", "/system/health-status"], ["degradation", "/system/degradation-status"]]) {
    try {
      show(elementId, await api(path));
    } catch (error) {
      show(elementId, `error: ${error.message}`);
    }
  }
}
document.getElementById("refresh-system").addEventListener("click", refreshSystem);

let socket = null;
function setSocketState(text) {
  document.getElementById("socket-state").textContent = text;
}

function appendProgress(message) {
  const item = document.createElement("li");
  if (message.type === "agent_progress") {
    const checkpoint = message.checkpoint_created ? ` checkpoint ${message.checkpoint_created}` : "";
    item.textContent = `${new Date().toLocaleTimeString()} ${message.current_agent ?? "-"} ${message.progress ?? "?"}%` +
      ` [${message.degradation_level ?? "none"}]${checkpoint} ${message.message ?? ""}`;
    if (message.degradation_level && message.degradation_level !== "none") item.className = "degraded";
    if (typeof message.progress === "number") {
      document.querySelector("#progress-bar div").style.width = `${Math.max(0, Math.min(100, message.progress))}%`;
    }
  } else {
    item.textContent = `${new Date().toLocaleTimeString()} ${JSON.stringify(message)}`;
    if (message.message === "Forbidden" || message.message === "Internal server error") item.className = "error";
  }
  document.getElementById("progress").prepend(item);
}

document.getElementById("subscribe").addEventListener("submit", (event) => {
  event.preventDefault();
  const campaignId = document.getElementById("campaign-id").value;
  if (socket) socket.close();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?api_key=${encodeURIComponent(keyInput.value)}`);
  setSocketState("connecting");
  socket.onopen = () => {
    setSocketState("connected");
    socket.send(JSON.stringify({ action: "subscribe", campaign_id: campaignId }));
  };
  socket.onmessage = (message) => {
    try { appendProgress(JSON.parse(message.data)); } catch { appendProgress({ text: message.data }); }
  };
  socket.onclose = (close) => setSocketState(`disconnected (${close.code})`);
  socket.onerror = () => setSocketState("connection refused (check the API key)");
});

document.getElementById("checkpoints-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const workflowId = document.getElementById("workflow-id").value;
  try {
    show("checkpoints", await api(`/workflows/${encodeURIComponent(workflowId)}/checkpoints`));
  } catch (error) {
    show("checkpoints", `error: ${error.message}`);
  }
});

if (keyInput.value) refreshSystem();
