// Keyboard shortcuts, one listener on the document (the help dialog lists them: press "?").
//   c        a new card in the focused card's list (else the first list): opens its quick-add
//   /        the search box
//   arrows   move between cards on a board (up/down in a list, left/right to the next list at
//            the same height), or between the rows of My tasks; Enter opens (the link's own click)
//   Esc      closes the task panel (ui.js does that) and gives the focus back to its card
//   ?        the shortcuts dialog (Esc or a click outside closes it)
// Keys typed into a field, or pressed with Ctrl, Meta or Alt, are left alone.

const FIELDS = "input, textarea, select, [contenteditable]";
const ARROWS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

// The card that had the focus last: after the panel closes, or after a click elsewhere, the
// arrows and "c" go on from there.
let lastCard = null;

function typingIn(target) {
  return target instanceof Element && (target.isContentEditable || target.closest(FIELDS));
}

function panelOpen() {
  return Boolean(document.querySelector("#panel-body .task-detail"));
}

function columns() {
  return Array.from(document.querySelectorAll("[data-lists] > [data-list-id]"));
}

function cardsOf(column) {
  return Array.from(column.querySelectorAll("[data-cards] > [data-task-id]"));
}

function rows() {
  return Array.from(document.querySelectorAll("[data-kbd-row]")).filter(
    (row) => row.offsetParent !== null, // not inside a collapsed group
  );
}

// The card the keys act on: the focused one, else the last one focused while nothing else is.
function currentCard() {
  const active = document.activeElement;
  if (active && active.matches("[data-task-id]")) return active;
  const idle = !active || active === document.body;
  return idle && lastCard && lastCard.isConnected ? lastCard : null;
}

function focus(element) {
  element.focus({ preventScroll: true });
  // A card: first its whole list into view (sideways), then the card within the list.
  const column = element.closest("[data-list-id]");
  if (column) column.scrollIntoView({ block: "nearest", inline: "nearest" });
  element.scrollIntoView({ block: "nearest", inline: "nearest" });
}

function moveOnBoard(dx, dy) {
  const lists = columns().map(cardsOf);
  const card = currentCard();
  if (!card) {
    const first = lists.find((cards) => cards.length);
    if (first) focus(first[0]);
    return Boolean(first);
  }
  let x = lists.findIndex((cards) => cards.includes(card));
  if (x < 0) return false;
  const y = lists[x].indexOf(card);
  if (dy) {
    const target = lists[x][y + dy];
    if (target) focus(target);
    return true;
  }
  // Left or right: the nearest list that has cards, at the same height or its last card.
  for (x += dx; x >= 0 && x < lists.length; x += dx) {
    if (lists[x].length) {
      focus(lists[x][Math.min(y, lists[x].length - 1)]);
      break;
    }
  }
  return true;
}

function moveInRows(dy) {
  const all = rows();
  if (!all.length || !dy) return false;
  const index = all.indexOf(document.activeElement);
  const target = index < 0 ? all[0] : all[index + dy];
  if (target) focus(target);
  return true;
}

function newCard() {
  const card = currentCard();
  const column = card ? card.closest("[data-list-id]") : columns()[0];
  const button = column && column.querySelector("[data-add-card]"); // only for editors
  if (!button) return false;
  button.click(); // quickAdd opens the form and focuses its title box
  return true;
}

function focusSearch() {
  const box = document.querySelector("[data-search-input]");
  if (!box) return false;
  box.focus();
  box.select();
  return true;
}

function shortcutsDialog() {
  return document.getElementById("shortcuts");
}

export function openShortcuts() {
  const dialog = shortcutsDialog();
  if (!dialog || dialog.open) return false;
  dialog.showModal();
  return true;
}

function handle(event) {
  if (event.key === "Escape") {
    const card = lastCard;
    // ui.js's panel closes on this same key (on window, after us): then the card gets the focus.
    if (panelOpen() && card && card.isConnected) {
      setTimeout(() => panelOpen() || card.focus({ preventScroll: true }), 0);
    }
    return false;
  }
  if (panelOpen()) return event.key === "?" && openShortcuts();
  if (event.key in ARROWS) {
    const [dx, dy] = ARROWS[event.key];
    return document.querySelector("[data-lists]") ? moveOnBoard(dx, dy) : moveInRows(dy);
  }
  switch (event.key) {
    case "c":
      return newCard();
    case "/":
      return focusSearch();
    case "?":
      return openShortcuts();
    default:
      return false;
  }
}

export function registerKeys() {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey) return;
    if (event.altKey || typingIn(event.target)) return;
    const dialog = shortcutsDialog();
    if (dialog && dialog.open) return; // the dialog closes itself on Esc
    if (handle(event) && event.key !== "Escape") event.preventDefault();
  });
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-task-id]")) {
      lastCard = event.target;
    }
  });
  document.addEventListener("click", (event) => {
    const dialog = shortcutsDialog();
    // A click on the dialog itself, not on its content, is a click on the backdrop.
    if (dialog && event.target === dialog) dialog.close();
    if (event.target instanceof Element && event.target.closest("[data-shortcuts-open]")) {
      event.preventDefault();
      openShortcuts();
    }
  });
}
