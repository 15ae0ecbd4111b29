// Blueprints tab: drag-and-drop uploads with a progress bar, through the tus endpoint in chunks
// (resumable: the upload's URL is kept in localStorage, so choosing the same file after a
// reload continues where it stopped). The multipart endpoint is not used from the browser: with
// session authentication the CSRF check reads the form body before the streaming upload
// handler can be installed, so the file part never reaches it.
//
// Live updates: the tab carries `data-project-ws-url` (the project's WebSocket, see
// blueprints/live.js); `window.konnaxionBlueprints.refresh()` fetches the document list again.
// On a document page, a new version refreshes its preview and history in place
// (blueprints/document_live.js).
import { liveUpdates } from "./blueprints/live.js";
import { keepCheckout, lockedReason } from "./blueprints/checkout.js";
import { refreshDocument } from "./blueprints/document_live.js";

const TUS_VERSION = "1.0.0";

const percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {
  style: "percent",
});

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

async function refreshList() {
  const tab = document.getElementById("blueprints");
  const list = document.getElementById("blueprint-list");
  if (!tab || !list) return;
  const response = await fetch(tab.dataset.listUrl, { credentials: "same-origin" });
  if (response.ok) list.innerHTML = await response.text();
}

window.konnaxionBlueprints = { refresh: refreshList };

function errorMessage(xhrOrResponseText) {
  try {
    const error = JSON.parse(xhrOrResponseText).error;
    return lockedReason(error) || error.message;
  } catch {
    return "";
  }
}

function patchChunk(uploader, url, offset, blob, onProgress) {
  // XHR rather than fetch: only XHR reports how much of a request body has been sent.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PATCH", url);
    const headers = tusHeaders(uploader, {
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
    });
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (event) => onProgress(offset + event.loaded));
    xhr.addEventListener("load", () => resolve(xhr));
    xhr.addEventListener("error", () => reject(new Error(uploader.dataset.textNetwork)));
    xhr.send(blob);
  });
}

function base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function tusHeaders(uploader, extra) {
  return { "Tus-Resumable": TUS_VERSION, "X-CSRFToken": uploader.dataset.csrfToken, ...extra };
}

async function tusUpload(uploader, file, onProgress, onResume) {
  const key = `konnaxion-tus:${uploader.dataset.tusUrl}:${uploader.dataset.resourceId || ""}:${file.name}:${file.size}:${file.lastModified}`;
  let url = localStorage.getItem(key);
  let offset = 0;
  if (url) {
    const head = await fetch(url, { method: "HEAD", headers: tusHeaders(uploader, {}) });
    if (head.ok) {
      offset = Number(head.headers.get("Upload-Offset"));
      onResume(offset / file.size);
    } else {
      url = null;
    }
  }
  if (!url) {
    const metadata = [`filename ${base64(file.name)}`];
    if (uploader.dataset.resourceId) metadata.push(`resource ${base64(uploader.dataset.resourceId)}`);
    if (uploader.dataset.resourceId && keepCheckout()) metadata.push(`keep_checkout ${base64("1")}`);
    // A new version's optional label and note (docs/version-labels.md).
    for (const name of ["label", "note"]) {
      const value = uploader.querySelector(`[data-upload-${name}]`)?.value.trim();
      if (value) metadata.push(`${name} ${base64(value)}`);
    }
    const created = await fetch(uploader.dataset.tusUrl, {
      method: "POST",
      headers: tusHeaders(uploader, {
        "Upload-Length": String(file.size),
        "Upload-Metadata": metadata.join(","),
      }),
    });
    if (created.status !== 201) throw new Error(errorMessage(await created.text()) || created.statusText);
    url = new URL(created.headers.get("Location"), window.location.href).href;
    localStorage.setItem(key, url);
  }
  const chunk = Number(uploader.dataset.chunkBytes);
  while (offset < file.size) {
    const response = await patchChunk(uploader, url, offset, file.slice(offset, offset + chunk), (sent) =>
      onProgress(sent / file.size),
    );
    if (response.status !== 204) {
      if (response.status !== 409) localStorage.removeItem(key);
      throw new Error(errorMessage(response.responseText) || response.statusText);
    }
    offset = Number(response.getResponseHeader("Upload-Offset"));
    onProgress(offset / file.size);
  }
  localStorage.removeItem(key);
}

function progressRow(uploader, file) {
  const row = document.createElement("li");
  const label = document.createElement("span");
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  label.textContent = format(uploader.dataset.textUploading, {
    name: file.name,
    percent: percentFormat.format(0),
  });
  bar.setAttribute("aria-label", file.name);
  row.append(label, bar);
  uploader.querySelector("[data-progress-list]").append(row);
  return {
    progress(fraction, template = uploader.dataset.textUploading) {
      bar.value = Math.round(fraction * 100);
      label.textContent = format(template, { name: file.name, percent: percentFormat.format(fraction) });
    },
    done() {
      bar.value = 100;
      label.textContent = format(uploader.dataset.textDone, { name: file.name });
    },
    failed(reason) {
      row.remove();
      const error = uploader.querySelector("[data-upload-error]");
      error.textContent = format(uploader.dataset.textFailed, { name: file.name, reason });
    },
  };
}

async function uploadOne(uploader, file) {
  const row = progressRow(uploader, file);
  if (file.size > Number(uploader.dataset.maxMb) * 1024 * 1024) {
    row.failed(uploader.dataset.textTooLarge);
    return false;
  }
  try {
    await tusUpload(uploader, file, (f) => row.progress(f), (f) => row.progress(f, uploader.dataset.textResuming));
  } catch (error) {
    row.failed(error.message || uploader.dataset.textNetwork);
    return false;
  }
  row.done();
  return true;
}

async function uploadAll(uploader, files) {
  uploader.querySelector("[data-upload-error]").textContent = "";
  let uploaded = 0;
  for (const file of files) {
    if (await uploadOne(uploader, file)) uploaded += 1;
  }
  if (!uploaded) return;
  if (uploader.dataset.resourceId) {
    // A new version: the history, the diff choices and the preview change; the progress
    // message stays where it is, and the label and note are for the next version.
    for (const name of ["label", "note"]) {
      const field = uploader.querySelector(`[data-upload-${name}]`);
      if (field) field.value = "";
    }
    await refreshDocument();
  } else {
    await refreshList();
  }
}

function setUp(uploader) {
  const input = uploader.querySelector("input[type=file]");
  const zone = uploader.querySelector("[data-dropzone]");
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = "";
    uploadAll(uploader, files);
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dropzone--active");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("dropzone--active"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dropzone--active");
    uploadAll(uploader, [...event.dataTransfer.files]);
  });
}

document.querySelectorAll("[data-uploader]").forEach(setUp);

const tab = document.getElementById("blueprints");
if (tab?.dataset.projectWsUrl && tab.dataset.signedIn) liveUpdates(tab, refreshList);
