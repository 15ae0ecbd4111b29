// A document page's preview and version history (#document-live, see _document_live.html),
// kept current without reloading the page: after a new version is uploaded from this page, and
// whenever the project's socket says that this document changed (a version, a restore, a label,
// its indexing: the preview appears once `resource.indexed` arrives), the part is fetched again
// from the server, which applies the permissions. Messages elsewhere on the page stay where
// they are. A label or note being edited in the history is never overwritten: the refresh
// waits until it is saved or closed. A restore posts its form through htmx: the answer is the
// refreshed part, and its message goes to #document-notice, which refreshes never replace.
import { coalesced, projectEvents } from "./live.js";
// A swapped part may hold a 3D viewer: it starts there, the one it replaces is disposed of.
import "./viewer3d.js";

const section = document.getElementById("document-live");

// Events about this document that change what the part shows.
const CHANGES = new Set([
  "resource.version_added",
  "resource.restored",
  "resource.version_labelled",
  "resource.indexed",
  "resource.updated",
  "resource.permissions_changed",
]);

function editing() {
  return [...section.querySelectorAll("details[open] form")].some((form) =>
    [...form.elements].some((field) => field.defaultValue !== undefined && field.value !== field.defaultValue),
  );
}

async function refresh() {
  if (editing()) {
    section.dataset.stale = "1";
    return;
  }
  const response = await fetch(section.dataset.liveUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const html = await response.text();
  if (editing()) {
    section.dataset.stale = "1";
    return;
  }
  section.innerHTML = html;
  window.htmx?.process(section);
  section.dataset.stale = "";
  section.dispatchEvent(new CustomEvent("document-live:refreshed", { bubbles: true }));
}

const refreshSoon = section ? coalesced(refresh) : async () => {};

// For the uploader: the history after a new version, once the upload is done.
export function refreshDocument() {
  return refreshSoon();
}

if (section) {
  // After a restore the button pressed is gone: the keyboard continues from its message.
  section.addEventListener("htmx:afterSettle", () => {
    const notice = document.getElementById("document-notice");
    if (notice?.textContent.trim()) notice.focus();
    section.dispatchEvent(new CustomEvent("document-live:refreshed", { bubbles: true }));
  });
  // A label form closed without saving lets a waiting refresh through.
  section.addEventListener("toggle", () => {
    if (section.dataset.stale) refreshSoon();
  }, true);
  if (section.dataset.signedIn) {
    const resource = Number(section.dataset.resourceId);
    projectEvents(section, (message) => {
      const ours = message.resource === resource && CHANGES.has(message.type);
      if (ours || message.type === "resync" || message.type === "project.access_changed") {
        refreshSoon();
      }
    });
  }
}
