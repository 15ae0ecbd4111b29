// Starts the page's 3D viewers ([data-viewer3d], see _viewer_3d.html) and disposes of them.
//
// A document page's preview is swapped in place when the document changes (document_live.js):
// the viewer of the old fragment is disposed of as soon as its element leaves the page, which
// frees its WebGL context (a browser keeps only a few), and the new fragment's viewer starts.
// three.js (model_viewer.js) is loaded only when a page has a viewer.
const running = new Map();
let viewerModule = null;

function startAll() {
  for (const element of document.querySelectorAll("[data-viewer3d]:not([data-state])")) {
    element.dataset.state = "starting";
    viewerModule ??= import("./model_viewer.js");
    viewerModule.then(({ ModelViewer }) => {
      if (element.isConnected) running.set(element, new ModelViewer(element));
    });
  }
}

function disposeGone() {
  for (const [element, viewer] of running) {
    if (!element.isConnected) {
      viewer.dispose();
      running.delete(element);
    }
  }
}

new MutationObserver(() => {
  disposeGone();
  startAll();
}).observe(document.body, { childList: true, subtree: true });
startAll();
