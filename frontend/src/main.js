// Baton's browser entry: htmx for server-rendered partials, Alpine (CSP build) for small
// components, SortableJS for drag and drop. Templates only name components and methods.
import htmx from "htmx.org";
import Alpine from "@alpinejs/csp";

import { registerBoard } from "./board.js";
import { registerChecklist } from "./checklist.js";
import { registerMentions } from "./mentions.js";
import { registerUi } from "./ui.js";

window.htmx = htmx;
Object.assign(htmx.config, {
  includeIndicatorStyles: false, // the CSP forbids inline styles; baton.css styles indicators
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  // Not "style": settling copies the old element's style attribute with setAttribute, which the
  // CSP blocks (a dragged card keeps an empty style="" from SortableJS's animation).
  attributesToSettle: ["class", "width", "height"],
  // Validation errors (422) and edit conflicts (409) come back as partials to show, not to drop.
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ],
});

// Every htmx request carries the CSRF token from the page's <meta name="csrf-token">.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

registerUi(Alpine, htmx);
registerBoard(Alpine, htmx);
registerChecklist(Alpine, htmx);
registerMentions(Alpine);

window.Alpine = Alpine;
Alpine.start();
