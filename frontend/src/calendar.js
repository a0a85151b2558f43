// The calendar pages (bundled apart from app.js into build/calendar.js, loaded only there):
// FullCalendar's month, week, day and agenda views over the JSON of the visible range.
// Selecting empty time opens the new-event form in the side panel (an htmx partial); dragging or
// resizing posts the new times, and the server's refusal puts the event back with its message.
import { Calendar } from "@fullcalendar/core";
import zhCn from "@fullcalendar/core/locales/zh-cn";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import timeGridPlugin from "@fullcalendar/timegrid";

import { toFullCalendar } from "./calendar-entries.js";
import { toast } from "./ui.js";

// Under this width a month's cells are too narrow to read titles: a phone opens the agenda
// (the other views stay a tap away).
const NARROW = "(max-width: 600px)";

const VIEWS = { m: "dayGridMonth", w: "timeGridWeek", d: "timeGridDay", a: "listUpcoming" };

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function typingIn(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

// "2026-11-24T09:30:00+08:00" for a Date, in the browser's own offset (the server keeps zones).
function isoLocal(date) {
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:00` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

function dateOnly(date) {
  return isoLocal(date).slice(0, 10);
}

// The event form's all-day switch: the start and end inputs become days (their times kept
// aside) or days and times again (the kept times, else 10:00–11:00, as the server's
// EventForm.DEFAULT_TIMES). An all-day end is the last day itself; a timed end at midnight
// belongs to the day before.
const DEFAULT_TIMES = { start: "10:00", end: "11:00" };

function dayBefore(day) {
  const date = new Date(`${day}T12:00`);
  date.setDate(date.getDate() - 1);
  return dateOnly(date);
}

function switchAllDay(box) {
  const form = box.form;
  const start = form.elements.start;
  for (const input of [start, form.elements.end]) {
    const label = form.querySelector(`label[for="${input.id}"]`);
    if (box.checked && input.type !== "date") {
      let [day, time] = (input.value || "").split("T");
      if (time) input.dataset.time = time;
      if (input.name === "end" && time === "00:00" && day > start.value) day = dayBefore(day);
      input.type = "date";
      input.value = day || "";
    } else if (!box.checked && input.type !== "datetime-local") {
      const day = input.value;
      input.type = "datetime-local";
      input.value = day ? `${day}T${input.dataset.time || DEFAULT_TIMES[input.name]}` : "";
    }
    if (label) label.textContent = box.checked ? label.dataset.dayLabel : label.dataset.timeLabel;
  }
}

function panel() {
  return document.getElementById("calendar-panel");
}

function openPanel(url) {
  const host = panel();
  if (!host || !window.htmx) return;
  window.htmx.ajax("GET", url, { target: host, swap: "innerHTML" }).then(() => {
    host.hidden = false;
    const first = host.querySelector("input[type=text], input:not([type=hidden]), textarea");
    if (first) first.focus();
  });
}

function closePanel() {
  const host = panel();
  if (!host) return;
  host.hidden = true;
  host.innerHTML = "";
}

// A drag of a repeating event asks which occurrences move: "this", "following", "all", or ""
// when the person cancels (Esc or Cancel), which puts the event back.
function askScope() {
  const dialog = document.getElementById("calendar-scope");
  if (!dialog) return Promise.resolve("this");
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

async function postMove(url, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    credentials: "same-origin",
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  return { ok: response.ok, data, status: response.status };
}

function firstView(views) {
  const narrow = window.matchMedia(NARROW).matches;
  return narrow && views.includes("listUpcoming") ? "listUpcoming" : views[0];
}

function mount(el) {
  const data = el.dataset;
  const editable = data.editable === "true";
  const zh = (data.locale || "").toLowerCase().startsWith("zh");
  const views = (data.views || "dayGridMonth,timeGridWeek,timeGridDay,listUpcoming").split(",");
  const calendar = new Calendar(el, {
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
    locales: [zhCn],
    locale: zh ? "zh-cn" : "en",
    firstDay: Number(data.firstDay || (zh ? 1 : 0)),
    timeZone: "local",
    initialView: data.initialView || firstView(views),
    initialDate: data.initialDate || undefined,
    headerToolbar: { left: "prev,next today", center: "title", right: views.join(",") },
    buttonIcons: false, // the CSP allows no data: fonts; plain arrows instead of FullCalendar's
    buttonText: { prev: "‹", next: "›" },
    buttonHints: { prev: data.prevLabel || "", next: data.nextLabel || "" },
    views: {
      // The agenda: what comes in the next 30 days from the day shown.
      listUpcoming: { type: "list", duration: { days: 30 }, buttonText: data.agendaLabel || "Agenda" },
    },
    noEventsContent: data.emptyLabel || "",
    height: "auto",
    // Months and lists grow with the page; a week's or a day's hours scroll in a fixed height.
    viewDidMount: (arg) => {
      const hours = arg.view.type.startsWith("timeGrid");
      if ((calendar.getOption("height") === "auto") === hours) {
        calendar.setOption("height", hours ? 760 : "auto");
        if (hours) setTimeout(() => calendar.scrollToTime("08:00:00"), 0);
      }
    },
    dayMaxEvents: 4,
    nowIndicator: true,
    navLinks: true,
    selectable: editable && data.newUrl !== undefined,
    selectMirror: true,
    editable,
    eventStartEditable: editable,
    eventDurationEditable: editable,
    scrollTime: "08:00:00",
    events: {
      url: data.eventsUrl,
      success: toFullCalendar, // the compact JSON of baton/calendars/entries.py
      failure: () => toast(data.loadError || "Error"),
    },
    eventClassNames: (arg) => arg.event.extendedProps.classes || [],
    eventAllow: (_span, event) => Boolean(event.extendedProps.editable),
    select: (info) => {
      const params = new URLSearchParams({
        start: info.allDay ? dateOnly(info.start) : isoLocal(info.start),
        end: info.allDay ? dateOnly(info.end) : isoLocal(info.end),
        all_day: info.allDay ? "1" : "0",
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
      });
      openPanel(`${data.newUrl}?${params}`);
    },
    eventClick: (info) => {
      const props = info.event.extendedProps;
      if (props.kind === "event" && props.panelUrl) {
        info.jsEvent.preventDefault();
        openPanel(props.panelUrl);
      }
    },
    eventDrop: (info) => move(info),
    eventResize: (info) => move(info),
  });

  async function move(info) {
    const event = info.event;
    const props = event.extendedProps;
    const scope = props.recurring ? await askScope() : "this";
    if (!scope) {
      info.revert();
      return;
    }
    const end = event.end || event.start;
    const fields = {
      scope,
      kind: props.kind,
      id: props.ref,
      all_day: event.allDay ? "1" : "0",
      start: event.allDay ? dateOnly(event.start) : isoLocal(event.start),
      end: event.allDay ? dateOnly(end) : isoLocal(end),
      occurrence: props.occurrence || "",
    };
    try {
      const result = await postMove(data.moveUrl, fields);
      if (!result.ok) {
        info.revert();
        toast(result.data.error || data.moveError || "Error");
        return;
      }
      if (props.recurring) calendar.refetchEvents();
    } catch {
      info.revert();
      toast(data.moveError || "Error");
    }
  }

  calendar.render();
  el.calendar = calendar;

  document.body.addEventListener("calendar:changed", () => {
    closePanel();
    calendar.refetchEvents();
  });
  document.body.addEventListener("calendar:refetch", () => calendar.refetchEvents());
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-calendar-panel-close]")) closePanel();
  });
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") return closePanel();
    if (typingIn(event.target) || !panel() || !panel().hidden) return;
    if (event.key === "t") calendar.today();
    else if (event.key === "j" || event.key === "PageDown") calendar.next();
    else if (event.key === "k" || event.key === "PageUp") calendar.prev();
    else if (VIEWS[event.key] && views.includes(VIEWS[event.key])) {
      calendar.changeView(VIEWS[event.key]);
    } else return;
    event.preventDefault();
  });
}

function start() {
  document.querySelectorAll("[data-calendar]").forEach(mount);
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-all-day-switch]")) switchAllDay(event.target);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
