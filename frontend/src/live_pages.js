// What each page does with a live event someone else caused (see live.js for the stream).
//
// - board: fetches the board's #view partial (the page's own URL, filters kept) and puts the
//   affected lists' headers and cards in place; lists created, moved or archived are added,
//   reordered or removed. Never while a card or list is being dragged or a move is on its way,
//   and never over a field being typed in: such changes wait and are applied afterwards.
// - list view: the rows that changed are replaced (a row being edited waits).
// - task panel: its sections are refreshed, except a field the user is typing in; then a notice
//   says that someone else changed the card.
// - calendar: FullCalendar refetches its events (not during a drag).
// - document page: a banner "X saved version N" (the editor's text is never touched); comments
//   appear.
import { isMine, refreshPresence } from "./live.js";

const RETRY_MS = 250;

function message(name) {
  return document.getElementById("live-messages")?.dataset[name] || "";
}

// A field the user is typing in, or text they typed and have not saved yet.
function busy(element) {
  const active = document.activeElement;
  if (active && active !== document.body && element.contains(active)) {
    if (active.matches("input, textarea, select, [contenteditable]")) return true;
  }
  for (const field of element.querySelectorAll("textarea, input[type=text], input:not([type])")) {
    if (field.value !== field.defaultValue) return true;
  }
  return false;
}

function dragging() {
  return Boolean(
    document.querySelector(
      ".card-chosen, .card-ghost, .list-ghost, .sortable-chosen, .sortable-drag, .fc-event-dragging, .fc-event-resizing",
    ),
  );
}

// A drop's request still on its way: its answer replaces the card, so wait for it.
function moving(scope) {
  return Boolean(scope.querySelector(".htmx-request")) || scope.classList.contains("htmx-request");
}

function adopt(element) {
  if (window.htmx) window.htmx.process(element);
}

// Tell the page's components that content changed, as an htmx swap would (the board makes new
// lists sortable, the selection marks selected cards again).
function settled(element) {
  window.setTimeout(() => element.dispatchEvent(new CustomEvent("htmx:afterSettle", { bubbles: true })), 0);
}

function replace(oldElement, newElement) {
  const fresh = document.importNode(newElement, true);
  oldElement.replaceWith(fresh);
  adopt(fresh);
  return fresh;
}

// What the server says a field holds (the fresh copy has not been touched by anyone).
function serverValue(field) {
  if (field.tagName === "TEXTAREA") return field.textContent;
  return field.getAttribute("value") ?? "";
}

// Replace `oldElement` with `newElement`, descending into what the user is busy with so that only
// the untouched parts are replaced. Inside a form being edited, the hidden fields (the version
// the user started from) are kept, so that saving over someone else's change is a conflict the
// server reports rather than a silent overwrite. Returns false when something the user is busy
// with differs from the new copy (the caller then shows a notice).
function merge(oldElement, newElement, depth = 0, inBusyForm = false) {
  if (inBusyForm && oldElement.matches("input[type=hidden]")) {
    return oldElement.value === serverValue(newElement);
  }
  if (!busy(oldElement)) {
    replace(oldElement, newElement);
    return true;
  }
  if (oldElement.matches("input, textarea")) return oldElement.defaultValue === serverValue(newElement);
  if (oldElement.matches("select, [contenteditable]")) return true;
  const olds = [...oldElement.children];
  const news = [...newElement.children];
  const key = (el) => `${el.tagName}#${el.id}`;
  if (depth > 8 || olds.length !== news.length || olds.some((el, i) => key(el) !== key(news[i]))) {
    return false;
  }
  const form = inBusyForm || oldElement.tagName === "FORM";
  let complete = true;
  olds.forEach((el, i) => {
    complete = merge(el, news[i], depth + 1, form) && complete;
  });
  return complete;
}

async function fetchHtml(url, headers = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { "HX-Request": "true", ...headers },
  });
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return new DOMParser().parseFromString(await response.text(), "text/html");
}

// Collects events, then runs `apply(events)` once nothing is in the way (`blocked()` is false).
function queue(blocked, apply) {
  let pending = [];
  let timer = null;
  const run = async () => {
    timer = null;
    if (blocked()) {
      timer = window.setTimeout(run, RETRY_MS);
      return;
    }
    const events = pending;
    pending = [];
    try {
      await apply(events);
    } catch {
      // a failed refresh is retried with the next event; nothing the user did is at stake
    }
  };
  return (event) => {
    pending.push(event);
    if (!timer) timer = window.setTimeout(run, 30);
  };
}

// ---------------------------------------------------------------- board

function boardView() {
  const view = document.getElementById("view");
  return view && view.dataset.layout === "board" ? view : null;
}

function listIdsOf(event) {
  const ids = new Set();
  if (event.list_id) ids.add(String(event.list_id));
  if (event.from_list_id) ids.add(String(event.from_list_id));
  const card = event.task_id && document.getElementById(`task-${event.task_id}`);
  const list = card && card.closest("[data-list-id]");
  if (list) ids.add(list.dataset.listId);
  return ids;
}

function wholeBoard(event) {
  return (
    event.type === "refresh" ||
    event.type === "fields.changed" ||
    event.type === "tags.changed" ||
    event.type === "project.updated" ||
    (event.type.startsWith("list.") && event.type !== "list.updated")
  );
}

function updateColumn(column, fresh) {
  const id = column.dataset.listId;
  column.setAttribute("aria-label", fresh.getAttribute("aria-label") || "");
  const header = document.getElementById(`list-header-${id}`);
  const newHeader = fresh.querySelector(`#list-header-${id}`);
  if (header && newHeader && !busy(header)) replace(header, newHeader);
  const cards = document.getElementById(`cards-${id}`);
  const newCards = fresh.querySelector(`#cards-${id}`);
  if (cards && newCards && !busy(cards)) {
    // The container stays (SortableJS is bound to it); its cards are replaced.
    cards.replaceChildren(...[...newCards.childNodes].map((node) => document.importNode(node, true)));
    adopt(cards);
  }
}

async function applyToBoard(events) {
  const view = boardView();
  if (!view || !view.dataset.viewUrl) return;
  const doc = await fetchHtml(view.dataset.viewUrl, { "HX-Target": "view" });
  const lists = document.querySelector("[data-lists]");
  const newLists = doc.querySelector("[data-lists]");
  if (!lists || !newLists) return;
  const all = events.some(wholeBoard);
  const ids = new Set();
  events.forEach((event) => listIdsOf(event).forEach((id) => ids.add(id)));
  if (all) {
    // Lists added, moved, archived: follow the server's order, keeping the columns that stay.
    const wanted = [...newLists.querySelectorAll(":scope > [data-list-id]")];
    const keep = new Set(wanted.map((el) => el.dataset.listId));
    lists.querySelectorAll(":scope > [data-list-id]").forEach((column) => {
      if (!keep.has(column.dataset.listId) && !busy(column)) column.remove();
    });
    let previous = null;
    for (const fresh of wanted) {
      let column = document.getElementById(`list-${fresh.dataset.listId}`);
      if (!column) {
        column = document.importNode(fresh, true);
        adopt(column);
      } else {
        updateColumn(column, fresh);
      }
      const place = previous ? previous.nextElementSibling : lists.firstElementChild;
      if (place !== column) lists.insertBefore(column, place);
      previous = column;
    }
  } else {
    for (const id of ids) {
      const column = document.getElementById(`list-${id}`);
      const fresh = newLists.querySelector(`#list-${id}`);
      if (column && fresh) updateColumn(column, fresh);
      else if (column && !fresh && !busy(column)) column.remove();
    }
  }
  settled(lists);
}

// ---------------------------------------------------------------- list view

async function applyToTable() {
  const view = document.getElementById("view");
  if (!view || view.dataset.layout !== "list" || !view.dataset.viewUrl) return;
  const doc = await fetchHtml(view.dataset.viewUrl, { "HX-Target": "view" });
  const rows = document.getElementById("rows");
  const newRows = doc.getElementById("rows");
  if (!rows || !newRows) return;
  const ids = (scope) => [...scope.querySelectorAll(":scope > tr[data-task-id]")].map((tr) => tr.dataset.taskId);
  const sameRows = ids(rows).join() === ids(newRows).join();
  if (sameRows) {
    for (const fresh of newRows.querySelectorAll(":scope > tr[data-task-id]")) {
      const row = rows.querySelector(`:scope > tr[data-task-id="${fresh.dataset.taskId}"]`);
      if (row && !busy(row) && row.innerHTML !== fresh.innerHTML) replace(row, fresh);
    }
  } else if (!busy(rows)) {
    rows.replaceChildren(...[...newRows.childNodes].map((node) => document.importNode(node, true)));
    adopt(rows);
  } else {
    throw new Error("busy"); // the next event tries again
  }
  const footer = document.querySelector(".table-footer");
  const newFooter = doc.querySelector(".table-footer");
  if (footer && newFooter) footer.textContent = newFooter.textContent;
  settled(rows);
}

// ---------------------------------------------------------------- task panel

function openPanel() {
  return document.querySelector("#task-panel[data-task-id]");
}

function showPanelNotice(panel) {
  if (panel.querySelector(".live-notice")) return;
  const notice = document.createElement("div");
  notice.className = "live-notice";
  notice.setAttribute("role", "status");
  notice.textContent = message("changed");
  const body = panel.querySelector(".task-body");
  (body || panel).prepend(notice);
}

async function applyToPanel() {
  const panel = openPanel();
  if (!panel || !panel.dataset.liveUrl) return;
  const host = panel.closest("[hx-headers]");
  let headers = {};
  try {
    headers = host ? JSON.parse(host.getAttribute("hx-headers")) : {};
  } catch {
    headers = {};
  }
  let doc;
  try {
    doc = await fetchHtml(panel.dataset.liveUrl, headers);
  } catch (error) {
    if (error.status === 404) showPanelNotice(panel); // deleted, moved away or no longer visible
    return;
  }
  const fresh = doc.getElementById("task-panel");
  if (!fresh) return;
  const complete = merge(panel, fresh);
  const current = openPanel();
  if (!complete && current) showPanelNotice(current);
  if (current) settled(current);
  refreshPresence(`task:${fresh.dataset.taskId}`);
}

// ---------------------------------------------------------------- calendar

function refetchCalendar() {
  document.body.dispatchEvent(new CustomEvent("calendar:refetch"));
}

// ---------------------------------------------------------------- document page

function showDocumentBanner(event) {
  const banner = document.getElementById("live-doc-banner");
  if (!banner) return;
  const n = String(event.version || "");
  const text = event.actor_name
    ? message("docSaved").replace("{name}", event.actor_name).replace("{n}", n)
    : message("docSavedAnonymous").replace("{n}", n);
  const link = document.createElement("a");
  link.className = "button button-small button-secondary";
  link.textContent = message("docView");
  if (banner.dataset.reload === "true") {
    link.href = window.location.pathname; // the reading page shows the newest version
  } else {
    link.href = banner.dataset.versionUrl.replace(/\/v\/0$/, `/v/${n}`);
    link.target = "_blank"; // the editor keeps what is being typed
    link.rel = "noopener";
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "icon-button";
  close.setAttribute("aria-label", message("dismiss"));
  close.textContent = "✕";
  close.addEventListener("click", () => {
    banner.hidden = true;
  });
  const label = document.createElement("span");
  label.className = "live-banner-text";
  label.textContent = text;
  banner.replaceChildren(label, link, close);
  banner.dataset.version = n;
  banner.hidden = false;
}

async function applyToDocumentComments() {
  const section = document.querySelector(".doc-comments-section");
  if (!section) return;
  const doc = await fetchHtml(window.location.pathname);
  const fresh = doc.querySelector(".doc-comments-section");
  if (fresh) merge(section, fresh);
}

// ---------------------------------------------------------------- wiring

export function registerLivePages() {
  const board = queue(() => dragging() || moving(document.getElementById("board") || document.body), applyToBoard);
  const table = queue(() => moving(document.getElementById("rows") || document.body), applyToTable);
  const panel = queue(() => dragging(), applyToPanel);
  const calendar = queue(dragging, async () => refetchCalendar());
  const comments = queue(() => false, applyToDocumentComments);

  document.addEventListener("baton:live", (e) => {
    const event = e.detail;
    const type = event.type || "";
    if (type === "presence.changed" || type === "notification.created" || isMine(event)) return;
    const projectEvent = type === "refresh" || /^(task|list|fields|tags|project)\./.test(type);
    if (projectEvent && boardView()) board(event);
    if (projectEvent && document.querySelector('#view[data-layout="list"]')) table(event);
    const open = openPanel();
    const panelEvent = type === "refresh" || type === "tags.changed";
    if (open && (panelEvent || (type.startsWith("task.") && String(event.task_id) === open.dataset.taskId))) {
      panel(event);
    }
    if (document.querySelector("[data-calendar]") && (type === "refresh" || /^(event|calendar|task)\./.test(type))) {
      calendar(event);
    }
    if (type === "document.saved") showDocumentBanner(event);
    if (type === "document.commented" || (type === "refresh" && document.querySelector(".doc-comments-section"))) {
      comments(event);
    }
  });
}
