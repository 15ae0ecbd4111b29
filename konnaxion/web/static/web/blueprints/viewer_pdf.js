// The PDF viewer of a document page (web/projects/blueprints/_viewer_pdf.html).
//
// pdf.js (vendored, loaded only when a page has a PDF to show) reads the decrypted download
// with byte ranges; every page is drawn when it scrolls into view, with a text layer over it so
// its text can be selected and copied, and a column of thumbnails. `?q=words` (a search result's
// link) highlights the words and opens at their first page; `#page=N` opens at page N (at the
// first match on or after it when both are given). The server's picture of the first page stays
// until the viewer is ready, and for good when the file cannot be read or JavaScript is off.
//
// document_live.js replaces the preview section when the document changes: on its
// `document-live:refreshed` event, a viewer of the same version is moved into the new section
// as it is; otherwise the old one is disposed of (its pdf.js document destroyed) and a new one
// starts.

// Larger files are downloaded only when the reader asks.
const ON_DEMAND_BYTES = 20 * 1024 * 1024;
const ZOOM_STEPS = [0.25, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
const THUMBNAIL_WIDTH = 96;
// Pages this far outside the visible part are drawn ahead of the scroll.
const RENDER_AHEAD = "300px 0px";
const MAX_PIXELS_PER_CANVAS = 16_000_000;

let library = null;

async function pdfjs(root) {
  if (!library) {
    library = import(root.dataset.library).then((module) => {
      module.GlobalWorkerOptions.workerSrc = root.dataset.worker;
      return module;
    });
  }
  return library;
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

// The words of a search box, read as the search reads them (websearch syntax): "a phrase"
// stays one term, `or` joins, a `-word` is excluded and so not highlighted.
export function searchTerms(text) {
  const terms = [];
  for (const [, phrase, word] of (text || "").matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (phrase ?? word).trim().toLowerCase();
    if (!term || term === "or" || (word && word.startsWith("-"))) continue;
    if (!terms.includes(term)) terms.push(term);
  }
  return terms;
}

// The search stems its words ("swales" finds "swale"), the viewer does not: when the exact
// words are nowhere, it looks again for the start of each long word (all but its last three
// letters, at least four), as a stemmer would cut it.
function loosened(terms) {
  return terms.map((term) =>
    term.length >= 5 && !term.includes(" ") ? term.slice(0, Math.max(4, term.length - 3)) : term,
  );
}

const LETTER = /[\p{L}\p{N}]/u;

// Occurrences of `terms` in `text` as [start, end] pairs, in order, never overlapping; with
// `toWordEnd`, each runs on to the end of its word.
function occurrences(text, terms, { toWordEnd = false } = {}) {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return [];
  const found = [];
  for (const term of terms) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      let end = at + term.length;
      while (toWordEnd && end < text.length && LETTER.test(text[end])) end += 1;
      found.push([at, end]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  return found.filter((range, index) => index === 0 || range[0] >= found[index - 1][1]);
}

class PdfViewer {
  constructor(root) {
    this.root = root;
    this.text = root.dataset;
    const find = (name) => root.querySelector(`[data-pdf-${name}]`);
    this.toolbar = find("toolbar");
    this.body = find("body");
    this.pagesBox = find("pages");
    this.thumbnailList = find("thumbnail-list");
    this.thumbnailsBox = this.thumbnailList.parentElement;
    this.thumbnailsButton = find("thumbs");
    this.pageInput = find("page");
    this.countText = find("count");
    this.zoomText = find("zoom");
    this.progress = find("progress");
    this.error = find("error");
    this.findForm = find("find");
    this.findWords = find("find-words");
    this.findStatus = find("find-status");
    this.pages = [];
    this.scale = 1;
    this.fitWidth = true;
    this.current = 1;
    this.matches = [];
    this.match = -1;
    this.texts = new Map();
    this.disposed = false;
    this.ready = false;
    this.jumpedTo = null;
    this.revealMatch = false;
    this.abort = new AbortController();
  }

  get source() {
    return this.root.dataset.src;
  }

  start() {
    this.root.hidden = false;
    if (Number(this.root.dataset.size) > ON_DEMAND_BYTES) {
      const start = this.root.querySelector("[data-pdf-start]");
      start.hidden = false;
      start.querySelector("[data-pdf-open]").addEventListener("click", () => {
        start.hidden = true;
        // The button goes: the keyboard continues in the pages once they are there.
        this.focusWhenReady = true;
        this.open();
      }, { once: true });
      return;
    }
    this.open();
  }

  async open() {
    const progressBar = this.progress.querySelector("progress");
    this.progress.querySelector("label").textContent = this.text.textLoading;
    this.progress.hidden = false;
    let pdf;
    try {
      const lib = await pdfjs(this.root);
      if (this.disposed) return;
      this.lib = lib;
      // No WebAssembly: the Content-Security-Policy allows no wasm compilation. JPEG 2000 and
      // JBIG2 images are decoded by the JavaScript builds of the decoders, which the worker
      // imports from `wasmUrl` (our static files).
      this.task = lib.getDocument({
        url: this.source,
        useWasm: false,
        wasmUrl: new URL(this.root.dataset.decoders, window.location.href).href,
        disableAutoFetch: true,
      });
      this.task.onProgress = ({ loaded, total }) => {
        if (total) {
          progressBar.max = total;
          progressBar.value = Math.min(loaded, total);
        }
      };
      pdf = await this.task.promise;
    } catch (error) {
      if (!this.disposed) this.fail(error);
      return;
    } finally {
      this.progress.hidden = true;
    }
    if (this.disposed) {
      pdf.destroy();
      return;
    }
    this.pdf = pdf;
    try {
      await this.build();
    } catch (error) {
      if (!this.disposed) this.fail(error);
    }
  }

  fail(error) {
    const name = error?.name;
    const message =
      name === "PasswordException"
        ? this.text.textPassword
        : name === "InvalidPDFException"
          ? this.text.textInvalid
          : this.text.textFailed;
    this.error.textContent = message;
    this.toolbar.hidden = true;
    this.body.hidden = true;
    this.root.dataset.state = "failed";
    this.posters(true);
  }

  // The server's picture of the first page, next to the viewer in the preview section.
  posters(visible) {
    const section = this.root.closest("section") || this.root.parentElement;
    for (const figure of section.querySelectorAll(":scope > figure")) figure.hidden = !visible;
  }

  async build() {
    const first = await this.pdf.getPage(1);
    if (this.disposed) return;
    const { width, height } = first.getViewport({ scale: 1 });
    const count = this.pdf.numPages;
    const pages = document.createDocumentFragment();
    const thumbnails = document.createDocumentFragment();
    for (let number = 1; number <= count; number += 1) {
      const div = document.createElement("div");
      div.className = "pdf-page";
      div.dataset.page = String(number);
      div.setAttribute("role", "group");
      div.setAttribute("aria-label", format(this.text.textPage, { number }));
      pages.append(div);
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pdf-thumbnail";
      button.dataset.page = String(number);
      button.setAttribute("aria-label", format(this.text.textGoTo, { number }));
      const picture = document.createElement("span");
      picture.className = "pdf-thumbnail__picture";
      picture.style.aspectRatio = `${width} / ${height}`;
      const label = document.createElement("span");
      label.className = "pdf-thumbnail__number";
      label.setAttribute("aria-hidden", "true");
      label.textContent = String(number);
      button.append(picture, label);
      item.append(button);
      thumbnails.append(item);
      this.pages.push({ number, div, button, picture, width, height, scale: 0 });
    }
    this.pagesBox.replaceChildren(pages);
    this.thumbnailList.replaceChildren(thumbnails);
    this.pageInput.max = String(count);
    this.countText.textContent = format(this.text.textCount, { count });
    this.root.dataset.pageCount = String(count);

    this.toolbar.hidden = false;
    this.body.hidden = false;
    this.error.textContent = "";
    this.showThumbnails(!window.matchMedia("(max-width: 40rem)").matches);
    this.bind();
    this.scale = this.fittingScale();
    this.resize();

    this.pageObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) this.draw(this.pages[Number(entry.target.dataset.page) - 1]);
      }
    }, { root: this.pagesBox, rootMargin: RENDER_AHEAD });
    this.thumbnailObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) this.drawThumbnail(this.pages[Number(entry.target.dataset.page) - 1]);
      }
    }, { root: this.thumbnailsBox, rootMargin: RENDER_AHEAD });
    this.observe();
    for (const page of this.pages) this.thumbnailObserver.observe(page.button);

    this.ready = true;
    this.root.dataset.state = "ready";
    this.posters(false);
    if (this.focusWhenReady) this.pagesBox.focus();
    await this.openAtRequest();
  }

  // `?q=` and `#page=` of the page's address.
  async openAtRequest() {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const asked = Number((window.location.hash.match(/^#page=(\d+)$/) || [])[1]);
    const page = asked >= 1 && asked <= this.pages.length ? asked : 0;
    if (page) this.goTo(page);
    if (searchTerms(query).length) {
      this.findWords.value = query;
      await this.find(page || 1);
    }
  }

  bind() {
    const signal = this.abort.signal;
    const on = (element, type, handler) => element.addEventListener(type, handler, { signal });
    on(this.root.querySelector("[data-pdf-previous]"), "click", () => this.goTo(this.current - 1));
    on(this.root.querySelector("[data-pdf-next]"), "click", () => this.goTo(this.current + 1));
    on(this.root.querySelector("[data-pdf-zoom-in]"), "click", () => this.zoom(1));
    on(this.root.querySelector("[data-pdf-zoom-out]"), "click", () => this.zoom(-1));
    on(this.root.querySelector("[data-pdf-fit]"), "click", () => {
      this.fitWidth = true;
      this.setScale(this.fittingScale());
    });
    on(this.thumbnailsButton, "click", () => this.showThumbnails(this.thumbnailsBox.hidden));
    on(this.pageInput, "change", () => this.goTo(Number(this.pageInput.value)));
    on(this.pageInput, "keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.goTo(Number(this.pageInput.value));
      }
    });
    on(this.thumbnailList, "click", (event) => {
      const button = event.target.closest("button[data-page]");
      if (button) this.goTo(Number(button.dataset.page), { focus: true });
    });
    on(this.findForm, "submit", (event) => {
      event.preventDefault();
      this.find(this.current);
    });
    on(this.root.querySelector("[data-pdf-find-next]"), "click", () => this.step(1));
    on(this.root.querySelector("[data-pdf-find-previous]"), "click", () => this.step(-1));
    on(this.root, "keydown", (event) => this.key(event));
    on(window, "hashchange", () => {
      const asked = Number((window.location.hash.match(/^#page=(\d+)$/) || [])[1]);
      if (asked) this.goTo(asked);
    });
    let queued = false;
    on(this.pagesBox, "scroll", () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        this.follow();
      });
    });
    let width = this.pagesBox.clientWidth;
    this.resizeObserver = new ResizeObserver(() => {
      if (this.pagesBox.clientWidth === width || !this.fitWidth) return;
      width = this.pagesBox.clientWidth;
      this.setScale(this.fittingScale());
    });
    this.resizeObserver.observe(this.pagesBox);
  }

  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = event.target.closest("input, textarea, select");
    if (event.key === "PageDown" || event.key === "PageUp") {
      if (typing && event.target !== this.pageInput) return;
      event.preventDefault();
      this.goTo(this.current + (event.key === "PageDown" ? 1 : -1));
    } else if (!typing && (event.key === "+" || event.key === "=")) {
      event.preventDefault();
      this.zoom(1);
    } else if (!typing && (event.key === "-" || event.key === "−")) {
      event.preventDefault();
      this.zoom(-1);
    }
  }

  showThumbnails(visible) {
    this.thumbnailsBox.hidden = !visible;
    this.thumbnailsButton.setAttribute("aria-expanded", String(visible));
    this.body.classList.toggle("pdf-viewer__body--thumbnails", visible);
    if (visible && this.pages.length) this.revealThumbnail(this.pages[this.current - 1].button);
  }

  fittingScale() {
    const style = getComputedStyle(this.pagesBox);
    const room =
      this.pagesBox.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const widest = Math.max(...this.pages.map((page) => page.width));
    return Math.max(ZOOM_STEPS[0], Math.min(room / widest, ZOOM_STEPS.at(-1)));
  }

  zoom(direction) {
    const steps = direction > 0 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
    const next = steps.find((step) => (direction > 0 ? step > this.scale + 0.001 : step < this.scale - 0.001));
    if (next === undefined) return;
    this.fitWidth = false;
    this.setScale(next);
  }

  setScale(scale) {
    if (!this.ready || Math.abs(scale - this.scale) < 0.001) return;
    const page = this.current;
    this.scale = scale;
    this.resize();
    this.goTo(page, { silent: true });
    this.observe();
  }

  resize() {
    for (const page of this.pages) {
      page.div.style.width = `${Math.floor(page.width * this.scale)}px`;
      page.div.style.height = `${Math.floor(page.height * this.scale)}px`;
      page.div.style.setProperty("--scale-factor", String(this.scale));
    }
    this.zoomText.textContent = format(this.text.textZoom, {
      percent: new Intl.NumberFormat(document.documentElement.lang || undefined, {
        style: "percent",
      }).format(this.scale),
    });
  }

  // Observing again makes the observer report the pages now in view, which a new size needs.
  observe() {
    this.pageObserver.disconnect();
    for (const page of this.pages) this.pageObserver.observe(page.div);
  }

  async draw(page) {
    if (page.scale === this.scale || page.drawing) return;
    page.drawing = true;
    const scale = this.scale;
    try {
      const pdfPage = await this.pdf.getPage(page.number);
      if (this.disposed) return;
      const base = pdfPage.getViewport({ scale: 1 });
      if (base.width !== page.width || base.height !== page.height) {
        page.width = base.width;
        page.height = base.height;
        page.div.style.width = `${Math.floor(page.width * scale)}px`;
        page.div.style.height = `${Math.floor(page.height * scale)}px`;
      }
      const viewport = pdfPage.getViewport({ scale });
      const density = Math.min(
        window.devicePixelRatio || 1,
        Math.sqrt(MAX_PIXELS_PER_CANVAS / (viewport.width * viewport.height)),
      );
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width * density);
      canvas.height = Math.floor(viewport.height * density);
      canvas.setAttribute("aria-hidden", "true");
      await pdfPage.render({
        canvas,
        canvasContext: canvas.getContext("2d"),
        viewport,
        transform: density === 1 ? null : [density, 0, 0, density, 0, 0],
      }).promise;
      if (this.disposed) return;
      const layer = document.createElement("div");
      layer.className = "textLayer";
      const textLayer = new this.lib.TextLayer({
        textContentSource: pdfPage.streamTextContent(),
        container: layer,
        viewport,
      });
      await textLayer.render();
      if (this.disposed) return;
      page.div.replaceChildren(canvas, layer);
      page.textLayer = textLayer;
      page.scale = scale;
      page.div.dataset.rendered = "true";
      this.highlight(page);
    } catch (error) {
      if (!this.disposed) console.warn(`PDF page ${page.number}:`, error);
    } finally {
      page.drawing = false;
    }
    // The zoom changed while this page was drawn: draw it again if still in view.
    if (!this.disposed && page.scale !== this.scale && this.inView(page)) this.draw(page);
  }

  inView(page) {
    const box = this.pagesBox.getBoundingClientRect();
    const rect = page.div.getBoundingClientRect();
    return rect.bottom > box.top && rect.top < box.bottom;
  }

  async drawThumbnail(page) {
    if (page.thumbnail) return;
    page.thumbnail = true;
    try {
      const pdfPage = await this.pdf.getPage(page.number);
      if (this.disposed) return;
      const base = pdfPage.getViewport({ scale: 1 });
      const viewport = pdfPage.getViewport({ scale: THUMBNAIL_WIDTH / base.width });
      const density = window.devicePixelRatio || 1;
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width * density);
      canvas.height = Math.floor(viewport.height * density);
      await pdfPage.render({
        canvas,
        canvasContext: canvas.getContext("2d"),
        viewport,
        transform: density === 1 ? null : [density, 0, 0, density, 0, 0],
      }).promise;
      if (this.disposed) return;
      page.picture.style.aspectRatio = `${base.width} / ${base.height}`;
      page.picture.replaceChildren(canvas);
    } catch (error) {
      page.thumbnail = false;
      if (!this.disposed) console.warn(`PDF thumbnail ${page.number}:`, error);
    }
  }

  goTo(number, { focus = false, silent = false } = {}) {
    if (!this.ready || !Number.isFinite(number)) return;
    const page = this.pages[Math.min(Math.max(Math.round(number), 1), this.pages.length) - 1];
    this.pagesBox.scrollTop = page.div.offsetTop - parseFloat(getComputedStyle(this.pagesBox).paddingTop);
    // The scroll this causes must not make another page current (the last pages of a
    // document cannot reach the top of the view).
    this.jumpedTo = this.pagesBox.scrollTop;
    this.setCurrent(page.number);
    if (focus) this.pagesBox.focus({ preventScroll: true });
    if (!silent) this.draw(page);
  }

  // The current page: the one across the upper third of the visible part.
  follow() {
    if (this.jumpedTo !== null && Math.abs(this.pagesBox.scrollTop - this.jumpedTo) < 2) return;
    this.jumpedTo = null;
    const line = this.pagesBox.scrollTop + this.pagesBox.clientHeight / 3;
    let low = 0;
    let high = this.pages.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.pages[middle].div.offsetTop <= line) low = middle;
      else high = middle - 1;
    }
    this.setCurrent(low + 1);
  }

  setCurrent(number) {
    if (document.activeElement !== this.pageInput || this.current !== number) {
      this.pageInput.value = String(number);
    }
    if (number === this.current && this.pages[number - 1].button.hasAttribute("aria-current")) return;
    this.pages[this.current - 1]?.button.removeAttribute("aria-current");
    this.current = number;
    const button = this.pages[number - 1].button;
    button.setAttribute("aria-current", "page");
    if (!this.thumbnailsBox.hidden) this.revealThumbnail(button);
  }

  // Scrolls the thumbnails (a column, or a row on phones) to `button`, and nothing else.
  revealThumbnail(button) {
    const box = this.thumbnailsBox;
    const inner = button.getBoundingClientRect();
    const outer = box.getBoundingClientRect();
    if (inner.top < outer.top || inner.bottom > outer.bottom) {
      box.scrollTop += inner.top - outer.top - (outer.height - inner.height) / 2;
    }
    if (inner.left < outer.left || inner.right > outer.right) {
      box.scrollLeft += inner.left - outer.left - (outer.width - inner.width) / 2;
    }
  }

  // The strings of a page's text items, as the text layer shows them, one item per span.
  async itemsOf(number) {
    if (!this.texts.has(number)) {
      this.texts.set(number, this.pdf.getPage(number)
        .then((pdfPage) => pdfPage.getTextContent())
        .then((content) => content.items.filter((item) => item.str !== undefined).map((item) => item.str)));
    }
    return this.texts.get(number);
  }

  // Every match of the search box's words, in page order; opens at the first one on or after
  // page `from`.
  async find(from) {
    const terms = searchTerms(this.findWords.value);
    this.matches = [];
    this.match = -1;
    const search = (this.searching = Symbol("search"));
    for (const [tried, toWordEnd] of terms.length ? [[terms, false], [loosened(terms), true]] : []) {
      for (const page of this.pages) {
        const items = await this.itemsOf(page.number);
        if (this.disposed || this.searching !== search) return;
        items.forEach((text, item) => {
          for (const [start, end] of occurrences(text, tried, { toWordEnd })) {
            this.matches.push({ page: page.number, item, start, end });
          }
        });
      }
      if (this.matches.length) break;
    }
    for (const page of this.pages) this.highlight(page);
    if (!this.matches.length) {
      this.findStatus.textContent = terms.length ? this.text.textNoMatch : "";
      return;
    }
    const next = this.matches.findIndex((match) => match.page >= from);
    this.show(next === -1 ? 0 : next);
  }

  step(direction) {
    if (!this.matches.length) {
      this.find(this.current);
      return;
    }
    this.show((this.match + direction + this.matches.length) % this.matches.length);
  }

  show(index) {
    this.match = index;
    const match = this.matches[index];
    this.findStatus.textContent = format(this.text.textMatches, {
      index: index + 1,
      count: this.matches.length,
    });
    const page = this.pages[match.page - 1];
    if (!this.inView(page) || match.page !== this.current) this.goTo(match.page);
    // Scrolled to once, when its page has been drawn; not again on every later drawing.
    this.revealMatch = true;
    for (const other of this.pages) this.markCurrent(other);
  }

  // The matches of the page's text layer in <mark>, its spans' text otherwise unchanged.
  highlight(page) {
    const layer = page.textLayer;
    if (!layer || page.scale !== this.scale) return;
    const divs = layer.textDivs;
    const strings = layer.textContentItemsStr;
    for (const index of page.marked || []) divs[index].textContent = strings[index];
    page.marked = [];
    const byItem = new Map();
    this.matches.forEach((match, index) => {
      if (match.page !== page.number) return;
      if (!byItem.has(match.item)) byItem.set(match.item, []);
      byItem.get(match.item).push({ ...match, index });
    });
    for (const [item, matches] of byItem) {
      const div = divs[item];
      const text = strings[item];
      if (!div || text === undefined) continue;
      const parts = [];
      let at = 0;
      for (const match of matches) {
        if (match.start > at) parts.push(text.slice(at, match.start));
        const mark = document.createElement("mark");
        mark.className = "pdf-match";
        mark.dataset.match = String(match.index);
        mark.textContent = text.slice(match.start, match.end);
        parts.push(mark);
        at = match.end;
      }
      if (at < text.length) parts.push(text.slice(at));
      div.replaceChildren(...parts);
      page.marked.push(item);
    }
    this.markCurrent(page);
  }

  markCurrent(page) {
    for (const mark of page.div.querySelectorAll("mark.pdf-match")) {
      const current = Number(mark.dataset.match) === this.match;
      mark.classList.toggle("pdf-match--current", current);
      if (current && this.revealMatch) {
        this.revealMatch = false;
        const box = this.pagesBox;
        const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
        if (top < 0 || top > box.clientHeight - 40) {
          box.scrollTop += top - box.clientHeight / 3;
          this.jumpedTo = box.scrollTop;
        }
      }
    }
  }

  dispose() {
    this.disposed = true;
    this.abort.abort();
    this.pageObserver?.disconnect();
    this.thumbnailObserver?.disconnect();
    this.resizeObserver?.disconnect();
    for (const page of this.pages) page.textLayer?.cancel();
    // Destroying the loading task destroys its document and ends the worker.
    this.task?.destroy();
  }
}

let viewer = null;

function startIn(container) {
  const root = container.querySelector("[data-pdf-viewer]");
  if (!root) return null;
  const started = new PdfViewer(root);
  started.start();
  return started;
}

function restart(event) {
  const container = event.target;
  const fresh = container.querySelector("[data-pdf-viewer]");
  if (viewer && fresh && fresh.dataset.src === viewer.source && !viewer.disposed) {
    // The same version: keep the open viewer (its pages, zoom and place) in the new section.
    fresh.replaceWith(viewer.root);
    viewer.posters(!viewer.ready);
    return;
  }
  viewer?.dispose();
  viewer = startIn(container);
}

viewer = startIn(document);
document.addEventListener("document-live:refreshed", restart);
