// The comments section of a document page (docs/comments.md): pinned comments shown as numbered
// markers on the preview, an area drawn on the preview to fill the pin's fields (which also take
// typed values), and live updates: the project's socket (/ws/projects/<slug>/) says that a
// comment of this document changed (ids only) and the section is fetched again from the server,
// which applies the permissions. Without this script every form still posts and the page shows
// the comments as they were when it was loaded.

import { coalesced, projectEvents } from "./blueprints/live.js";

const section = document.getElementById("comments");

function previewImage() {
  return document.querySelector(".preview .preview-image");
}

// The layer over the preview that holds the markers and the area being drawn.
function overlay() {
  const image = previewImage();
  if (!image) return null;
  let layer = document.getElementById("comment-overlay");
  if (layer) return layer;
  // A box around the preview's link: the layer is its sibling, so drawing never follows the
  // link, and it has exactly the image's size.
  const link = image.closest("a") || image;
  const holder = document.createElement("div");
  holder.className = "comment-overlay-holder";
  link.before(holder);
  holder.append(link);
  layer = document.createElement("div");
  layer.id = "comment-overlay";
  layer.className = "comment-overlay";
  holder.append(layer);
  return layer;
}

function place(element, [x, y, w, h]) {
  element.style.left = `${x * 100}%`;
  element.style.top = `${y * 100}%`;
  element.style.width = `${w * 100}%`;
  element.style.height = `${h * 100}%`;
}

function drawMarkers() {
  const layer = overlay();
  if (!layer) return;
  layer.querySelectorAll(".comment-marker").forEach((marker) => marker.remove());
  section.querySelectorAll("[data-rect]").forEach((thread) => {
    const rect = thread.dataset.rect.split(" ").map(Number);
    if (rect.length !== 4 || rect.some((value) => !Number.isFinite(value))) return;
    const marker = document.createElement("a");
    marker.className = "comment-marker";
    marker.href = `#${thread.id}`;
    marker.textContent = thread.dataset.marker;
    marker.setAttribute("aria-label", `${section.dataset.markerLabel} ${thread.dataset.marker}`);
    place(marker, rect);
    layer.append(marker);
  });
}

function field(name) {
  return section.querySelector(`#comment-form [name="${name}"]`);
}

function setDrawing(on) {
  const button = document.getElementById("comment-draw");
  const layer = overlay();
  button.setAttribute("aria-pressed", on ? "true" : "false");
  layer?.classList.toggle("comment-overlay--drawing", on);
  // The preview is above the form: bring it into view to draw on it.
  if (on) layer?.scrollIntoView({ block: "center" });
}

// Drawing an area: press the button, then drag on the preview. The four fields get the area
// in percent; a PDF's page becomes 1 (the preview is its first page).
// Set up once per preview: a preview swapped in after the indexing gets its own layer.
function drawing() {
  const button = document.getElementById("comment-draw");
  const layer = overlay();
  if (!button || !layer || layer.dataset.drawing) return;
  layer.dataset.drawing = "ready";
  button.hidden = false;
  let start = null;
  let area = null;

  function point(event) {
    const box = layer.getBoundingClientRect();
    const clamp = (value) => Math.min(1, Math.max(0, value));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  }

  function rectangle(a, b) {
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])];
  }

  if (!button.dataset.ready) {
    button.dataset.ready = "true";
    button.addEventListener("click", () => setDrawing(button.getAttribute("aria-pressed") !== "true"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-pressed") === "true") {
        setDrawing(false);
        button.focus();
      }
    });
  }
  layer.addEventListener("pointerdown", (event) => {
    if (button.getAttribute("aria-pressed") !== "true") return;
    event.preventDefault();
    layer.setPointerCapture(event.pointerId);
    start = point(event);
    area?.remove();
    area = document.createElement("div");
    area.className = "comment-area";
    layer.append(area);
    place(area, [...start, 0, 0]);
  });
  layer.addEventListener("pointermove", (event) => {
    if (start && area) place(area, rectangle(start, point(event)));
  });
  layer.addEventListener("pointerup", (event) => {
    if (!start) return;
    const [x, y, w, h] = rectangle(start, point(event));
    start = null;
    if (w <= 0 || h <= 0) return;
    const percent = (value) => (Math.round(value * 10000) / 100).toString();
    field("left").value = percent(x);
    field("top").value = percent(y);
    field("width").value = percent(Math.min(w, 1 - x));
    field("height").value = percent(Math.min(h, 1 - y));
    if (field("page") && !field("page").value) field("page").value = "1";
    setDrawing(false);
    field("body")?.focus();
  });
}

async function refresh() {
  const response = await fetch(section.dataset.commentsUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const threads = fresh.getElementById("comment-threads");
  const current = document.getElementById("comment-threads");
  if (!threads || !current) return;
  // Open reply or edit forms with text in them are kept as they are until they are sent.
  const busy = [...current.querySelectorAll("textarea")].some((area) => area.value.trim() && area.closest("details[open]"));
  if (busy) {
    section.dataset.stale = "1";
    return;
  }
  current.replaceChildren(...threads.childNodes);
  section.dataset.stale = "";
  drawMarkers();
}

function live() {
  const refreshSoon = coalesced(refresh);
  const resource = Number(section.dataset.resourceId);
  projectEvents(section, (message) => {
    const ours = message.resource === resource && message.type.startsWith("comment.");
    if (ours || message.type === "resync" || message.type === "project.access_changed") {
      refreshSoon();
    }
  });
}

function drawWhenLoaded() {
  const image = previewImage();
  if (image && !image.complete) image.addEventListener("load", drawMarkers, { once: true });
  drawMarkers();
  drawing();
}

if (section) {
  drawWhenLoaded();
  // The preview is replaced in place after a new version or its indexing (document_live.js).
  document.addEventListener("document-live:refreshed", drawWhenLoaded);
  if (section.dataset.signedIn) live();
}
