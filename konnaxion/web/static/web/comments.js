// The comments section of a document page (docs/comments.md): pinned comments shown as numbered
// markers on the preview, an area drawn on the preview to fill the pin's fields (which also take
// typed values), and live updates: the project's socket (/ws/projects/<slug>/) says that a
// comment of this document changed (ids only) and the section is fetched again from the server,
// which applies the permissions. Without this script every form still posts and the page shows
// the comments as they were when it was loaded.

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30000;
const FINAL_CLOSES = new Set([4401, 4403, 4404]);

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

// Drawing an area: press the button, then drag on the preview. The four fields get the area
// in percent; a PDF's page becomes 1 (the preview is its first page).
function drawing() {
  const button = document.getElementById("comment-draw");
  const layer = overlay();
  if (!button || !layer) return;
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

  function setDrawing(on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    layer.classList.toggle("comment-overlay--drawing", on);
    // The preview is above the form: bring it into view to draw on it.
    if (on) layer.scrollIntoView({ block: "center" });
  }

  button.addEventListener("click", () => setDrawing(button.getAttribute("aria-pressed") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-pressed") === "true") {
      setDrawing(false);
      button.focus();
    }
  });
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

function coalesced(run) {
  let running = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };
}

function live() {
  const refreshSoon = coalesced(refresh);
  const resource = Number(section.dataset.resourceId);
  let seq = Number(section.dataset.projectSeq || 0);
  let retry = FIRST_RETRY_MS;

  function received(message) {
    if (message.type === "resync") {
      seq = message.seq;
      refreshSoon();
      return;
    }
    if (typeof message.type !== "string" || typeof message.seq !== "number") return;
    seq = Math.max(seq, message.seq);
    const ours = message.resource === resource;
    if ((ours && message.type.startsWith("comment.")) || message.type === "project.access_changed") {
      refreshSoon();
    }
  }

  function connect() {
    const url = new URL(section.dataset.projectWsUrl, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("since", String(seq));
    const socket = new WebSocket(url.href);
    socket.addEventListener("open", () => {
      retry = FIRST_RETRY_MS;
      section.dataset.live = "connected";
    });
    socket.addEventListener("message", (event) => {
      try {
        received(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing this page understands.
      }
    });
    socket.addEventListener("close", (event) => {
      section.dataset.live = "disconnected";
      if (FINAL_CLOSES.has(event.code)) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, LAST_RETRY_MS);
    });
  }

  connect();
}

if (section) {
  const image = previewImage();
  if (image && !image.complete) image.addEventListener("load", drawMarkers, { once: true });
  drawMarkers();
  drawing();
  if (section.dataset.signedIn) live();
}
