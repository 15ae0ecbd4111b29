// Live updates of the Blueprints tab over the project's WebSocket (/ws/projects/<slug>/, see
// docs/search.md). Every `resource.*` event refreshes the document list from the server, which
// applies the permissions; the socket only says that something changed. The page knows the
// sequence number it was rendered at (`data-project-seq`) and keeps the latest one it heard, so
// a reconnection asks for what it missed (`?since=<seq>`); when the server cannot fill the gap
// it says `resync` and the list is fetched again.

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30000;
// Close codes after which reconnecting cannot help: not signed in, removed from the team, not
// allowed to see the project.
const FINAL_CLOSES = new Set([4401, 4403, 4404]);

// Refreshes requested while one runs are merged into one more, so a burst of events (an upload
// followed by its indexing) costs at most two requests.
function coalesced(refresh) {
  let running = null;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await refresh();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };
  return run;
}

export function liveUpdates(tab, refresh) {
  const refreshSoon = coalesced(refresh);
  let seq = Number(tab.dataset.projectSeq || 0);
  let retry = FIRST_RETRY_MS;

  function address() {
    const url = new URL(tab.dataset.projectWsUrl, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("since", String(seq));
    return url.href;
  }

  function received(message) {
    if (message.type === "resync") {
      seq = message.seq;
      refreshSoon();
      return;
    }
    if (typeof message.type !== "string") return;
    // Who may see what changed (a role, the visibility): the list is fetched again too.
    const access = message.type === "project.access_changed";
    if (!access && !message.type.startsWith("resource.")) return;
    seq = Math.max(seq, message.seq);
    if (message.readable === false) {
      // Access was withdrawn: drop the row at once; the refresh confirms.
      document
        .querySelectorAll(`#blueprint-list [data-resource-id="${Number(message.resource)}"]`)
        .forEach((row) => row.remove());
    }
    refreshSoon();
  }

  function connect() {
    const socket = new WebSocket(address());
    socket.addEventListener("open", () => {
      retry = FIRST_RETRY_MS;
      tab.dataset.live = "connected";
    });
    socket.addEventListener("message", (event) => {
      try {
        received(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing this page understands.
      }
    });
    socket.addEventListener("close", (event) => {
      tab.dataset.live = "disconnected";
      if (FINAL_CLOSES.has(event.code)) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, LAST_RETRY_MS);
    });
  }

  connect();
}
