// Baton's browser entry: htmx for server-rendered partials, Alpine (CSP build) for small
// components, SortableJS for drag and drop. Templates only name components and methods.
import htmx from "htmx.org";
import Alpine from "@alpinejs/csp";

import { registerBell } from "./bell.js";
import { registerBoard } from "./board.js";
import { registerBulk } from "./bulk.js";
import { registerChecklist } from "./checklist.js";
import { registerDocumentPages } from "./documents_pages.js";
import { registerDocuments } from "./documents.js";
import { registerKeys } from "./keys.js";
import { registerLive } from "./live.js";
import { registerLivePages } from "./live_pages.js";
import { registerFields } from "./fields.js";
import { registerFilters } from "./filters.js";
import { registerMentions } from "./mentions.js";
import { registerPeoplePicker } from "./people_picker.js";
import { registerSearch } from "./search.js";
import { registerUi } from "./ui.js";
import { registerUploads } from "./uploads.js";

window.htmx = htmx;
Object.assign(htmx.config, {
  includeIndicatorStyles: false, // the CSP forbids inline styles; baton.css styles indicators
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  // Not "style": settling copies the old element's style attribute with setAttribute, which the
  // CSP blocks (a dragged card keeps an empty style="" from SortableJS's animation).
  attributesToSettle: ["class", "width", "height"],
  // New content is processed when it settles; with the default 20 ms delay a form could be shown
  // and submitted (natively, as a full page POST) before htmx had taken it over.
  defaultSettleDelay: 0,
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
registerBell(Alpine);
registerBoard(Alpine, htmx);
registerBulk(Alpine, htmx);
registerChecklist(Alpine, htmx);
registerDocumentPages(Alpine, htmx);
registerDocuments(Alpine, htmx);
registerKeys();
registerLivePages();
registerFields(Alpine, htmx);
registerFilters(Alpine);
registerMentions(Alpine);
registerPeoplePicker(Alpine);
registerSearch(Alpine);
registerUploads(Alpine, htmx);

window.Alpine = Alpine;
Alpine.start();
// After the page's components exist, so their listeners hear the first events.
registerLive();
