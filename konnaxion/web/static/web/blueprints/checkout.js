// Check-out locks on a document page (docs/checkout.md). The panel (#checkout, see
// _lock.html) follows the project's WebSocket: on each event it fetches itself again from the
// server, which applies the permissions, so the lock badge appears and disappears without a
// reload. `lockedReason` turns a 423 `document_locked` answer into the page's own sentence,
// and `keepCheckout` says whether the holder asked to keep the lock after an upload.
import { liveUpdates } from "./live.js";

function panel() {
  return document.getElementById("checkout");
}

export function keepCheckout() {
  return Boolean(document.querySelector("[data-keep-checkout]")?.checked);
}

export function lockedReason(error) {
  const template = panel()?.dataset.textLocked;
  if (!error || error.code !== "document_locked" || !template) return "";
  const until = new Date(error.details?.until);
  const when = Number.isNaN(until.getTime())
    ? ""
    : new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "medium",
        timeStyle: "short",
      }).format(until);
  return template.replace(/\{(\w+)\}/g, (_, name) =>
    name === "holder" ? String(error.details?.holder ?? "") : name === "until" ? when : "",
  );
}

async function refreshPanel(section) {
  const response = await fetch(section.dataset.checkoutUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const body = section.querySelector("[data-checkout-body]");
  const keep = keepCheckout();
  body.innerHTML = await response.text();
  const box = body.querySelector("[data-keep-checkout]");
  if (box) box.checked = keep;
}

const section = panel();
if (section?.dataset.signedIn) liveUpdates(section, () => refreshPanel(section));
