// The calendar JSON (see baton/calendars/entries.py) as FullCalendar's event objects. The server
// says once per calendar or project what many entries share (name, colour, task URL prefix,
// whether the person may drag them) and each entry only what is its own, which keeps a busy
// month's response small; this fills every entry in again.

function eventEntry(raw, entry) {
  const calendar = raw.calendars[entry.c] || {};
  const occurrence = entry.o || "";
  const query = occurrence ? `?occurrence=${encodeURIComponent(occurrence)}` : "";
  return {
    id: occurrence ? `${entry.i || entry.r}:${occurrence}` : String(entry.r),
    title: entry.t,
    start: entry.s,
    end: entry.e,
    allDay: entry.s.length === 10, // a date, not a time
    editable: Boolean(calendar.editable),
    classNames: ["cal-event", `c-${calendar.color}`],
    extendedProps: {
      kind: "event",
      ref: String(entry.r),
      calendar: calendar.name,
      occurrence,
      recurring: Boolean(occurrence),
      editable: Boolean(calendar.editable),
      panelUrl: `${raw.panel}${entry.r}${query}`,
    },
  };
}

function taskEntry(raw, entry) {
  const project = raw.projects[entry.p] || {};
  const ref = `${project.key}-${entry.n}`;
  const url = `${project.url}${entry.n}`;
  const editable = Boolean(project.editable);
  const classes = ["cal-task", `c-${project.color}`];
  if (entry.d) classes.push("is-done");
  return {
    id: `task-${ref}`,
    title: `${ref} ${entry.t}`,
    start: entry.s,
    end: entry.e, // absent for a one-day task: FullCalendar shows it on its start day
    allDay: true,
    editable,
    durationEditable: editable && Boolean(raw.span),
    url,
    classNames: classes,
    extendedProps: { kind: "task", ref, project: project.name, url, editable, recurring: false, occurrence: "" },
  };
}

function holidayEntry(raw, entry) {
  const calendar = raw.calendars[entry.c] || {};
  const kind = entry.w ? "workday" : "holiday";
  const classes = ["cal-holiday", `c-${calendar.color}`];
  if (entry.w) classes.push("is-workday");
  return {
    id: `holiday-${entry.k}-${entry.s}-${kind}`,
    title: entry.t,
    start: entry.s,
    end: entry.e,
    allDay: true,
    editable: false,
    classNames: classes,
    extendedProps: { kind: "holiday", calendar: calendar.name, editable: false, recurring: false, occurrence: "" },
  };
}

export function toFullCalendar(raw) {
  if (Array.isArray(raw)) return raw;
  const tables = { calendars: {}, projects: {}, panel: "", ...raw };
  return [
    ...(raw.events || []).map((entry) => eventEntry(tables, entry)),
    ...(raw.holidays || []).map((entry) => holidayEntry(tables, entry)),
    ...(raw.tasks || []).map((entry) => taskEntry(tables, entry)),
  ];
}
