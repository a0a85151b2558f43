// Live updates: one EventSource per page to /events/ for the channels the page shows.
//
// The channels come from <body data-live-channels="user:5 project:3"> (base.html and the page's
// live_channels block), plus `task:<id>` while a task panel (#task-panel[data-task-id]) is open
// and any [data-live-channel] element. When that set changes the stream is reopened with
// ?last=<the last event id seen>, so nothing is missed in between. Every message is re-dispatched
// as a DOM event: document "baton:live" with detail = the parsed JSON ({channel, type, ...});
// the server's `event: refresh` (more was missed than it replays) becomes {type: "refresh"}.
//
// The browser reconnects by itself after a network drop and sends Last-Event-ID; when it gives up
// (the stream is CLOSED, e.g. after a 4xx/5xx), we reopen after a growing pause.

// The server accepts at most 8 channels per stream. A page that would need more (a calendar with
// many calendars shown) hears the first 8 and refreshes what it shows when the window regains
// focus instead.
export const MAX_CHANNELS = 8;

const state = {
  source: null,
  channels: [],
  last: "",
  failures: 0,
  timer: null,
  overflow: false,
};

export function myUserId() {
  return document.body.dataset.liveUser || "";
}

// Whether an event was caused by the user of this page (services add `actor` to payloads).
export function isMine(data) {
  return data.actor !== undefined && data.actor !== null && String(data.actor) === myUserId();
}

function wantedChannels() {
  const channels = (document.body.dataset.liveChannels || "").split(/\s+/).filter(Boolean);
  const panel = document.querySelector("#task-panel[data-task-id]");
  if (panel) channels.push(`task:${panel.dataset.taskId}`);
  document.querySelectorAll("[data-live-channel]").forEach((el) => channels.push(el.dataset.liveChannel));
  const unique = [...new Set(channels)];
  state.overflow = unique.length > MAX_CHANNELS;
  return unique.slice(0, MAX_CHANNELS);
}

function dispatch(detail) {
  document.dispatchEvent(new CustomEvent("baton:live", { detail }));
}

function close() {
  if (state.source) {
    state.source.close();
    state.source = null;
    delete document.body.dataset.liveOpen;
  }
  window.clearTimeout(state.timer);
}

function open() {
  close();
  state.channels = wantedChannels();
  if (!state.channels.length) return;
  const query = state.channels.map((c) => `channel=${encodeURIComponent(c)}`);
  if (state.last) query.push(`last=${encodeURIComponent(state.last)}`);
  const source = new EventSource(`/events/?${query.join("&")}`);
  state.source = source;
  source.onopen = () => {
    state.failures = 0;
    // The channels now heard (the server subscribes before it answers): tests and tools wait on it.
    document.body.dataset.liveOpen = state.channels.join(" ");
    document.dispatchEvent(new CustomEvent("baton:live-open", { detail: { channels: state.channels } }));
  };
  source.onmessage = (message) => {
    if (message.lastEventId) state.last = message.lastEventId;
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    dispatch(data);
  };
  source.addEventListener("refresh", (message) => {
    if (message.lastEventId) state.last = message.lastEventId;
    dispatch({ type: "refresh" });
  });
  source.onerror = () => {
    if (state.source === source) delete document.body.dataset.liveOpen;
    if (source.readyState !== EventSource.CLOSED || state.source !== source) return;
    // The browser gave up (it retries by itself only while the server answers 200): reopen with
    // what we saw last, a little later each time, at most every 30 s.
    state.failures += 1;
    const pause = Math.min(30000, 1000 * 2 ** Math.min(state.failures - 1, 5));
    state.timer = window.setTimeout(open, pause);
  };
}

function sameChannels(a, b) {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

let checkTimer = null;
function channelsMayHaveChanged() {
  window.clearTimeout(checkTimer);
  checkTimer = window.setTimeout(() => {
    if (!sameChannels(wantedChannels(), state.channels)) open();
  }, 60);
}

// ---------------------------------------------------------------- presence

function presenceUrl(channel) {
  const base = document.body.dataset.presenceUrl;
  return base ? `${base}?channel=${encodeURIComponent(channel)}` : "";
}

export async function refreshPresence(channel, { onlyNew = false } = {}) {
  const slots = [...document.querySelectorAll("[data-presence]")].filter(
    (slot) => (!channel || slot.dataset.presence === channel) && !(onlyNew && slot.dataset.filled),
  );
  for (const slot of slots) {
    const url = presenceUrl(slot.dataset.presence);
    if (!url) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } });
      if (response.ok) {
        slot.innerHTML = await response.text();
        slot.dataset.filled = "true";
        slot.classList.toggle("has-people", Boolean(slot.querySelector("[data-presence-user]")));
      }
    } catch {
      // offline: the next presence.changed or reconnect refreshes it
    }
  }
}

export function registerLive() {
  if (!document.body.dataset.liveChannels || typeof EventSource === "undefined") return;
  // Many people arriving at once each announce themselves: one fetch per channel per burst.
  const pending = new Map();
  const presenceChanged = (channel) => {
    window.clearTimeout(pending.get(channel));
    pending.set(channel, window.setTimeout(() => refreshPresence(channel), 250));
  };
  document.addEventListener("baton:live", (event) => {
    if (event.detail.type === "presence.changed") presenceChanged(event.detail.channel);
    if (event.detail.type === "refresh") refreshPresence();
  });
  // Once connected, we are counted; show who else is here (and again for new slots).
  document.addEventListener("baton:live-open", () => refreshPresence());
  // A slot that came with swapped-in content (the task panel after a save, a filtered board).
  document.addEventListener("htmx:afterSettle", () => {
    if (state.source && state.source.readyState === EventSource.OPEN) refreshPresence(null, { onlyNew: true });
  });
  new MutationObserver(channelsMayHaveChanged).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("focus", () => {
    if (state.overflow) dispatch({ type: "refresh" });
  });
  window.addEventListener("pagehide", close);
  open();
}
