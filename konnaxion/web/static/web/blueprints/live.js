// Live updates of the Blueprints tab over the project's WebSocket (/ws/projects/<slug>/, see
// docs/search.md). Every `resource.*` event refreshes the document list from the server, which
// applies the permissions; the socket only says that something changed. The page knows the
// sequence number it was rendered at (`data-project-seq`) and keeps the latest one it heard, so
// a reconnection asks for what it missed (`?since=<seq>`); when the server cannot fill the gap
// it says `resync` and the list is fetched again.

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30000;
// Close codes after which reconnecting cannot help: not signed in (4401), not allowed to see
// the project (4404). 4403 is not one: it says its user left the team of a project they may
// still see, and the socket they reconnect with follows it as a visitor (replaying the
// `project.access_changed` they missed, so the page refreshes). Any other close (1006 when the
// connection drops, 1013 when Redis fails) is retried with a growing delay.
const FINAL_CLOSES = new Set([4401, 4404]);

// Refreshes requested while one runs are merged into one more, so a burst of events (an upload
// followed by its indexing) costs at most two requests.
export function coalesced(refresh) {
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

// One socket per project address for the whole page, however many parts of it follow the
// project (the list, the lock panel, the comments).
const channels = new Map();

function channelOpen(path, seq) {
  const channel = { listeners: new Set(), elements: new Set(), seq, state: "connecting" };
  let retry = FIRST_RETRY_MS;
  const mark = (state) => {
    channel.state = state;
    channel.elements.forEach((element) => {
      element.dataset.live = state;
    });
  };

  function connect() {
    const url = new URL(path, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("since", String(channel.seq));
    const socket = new WebSocket(url.href);
    socket.addEventListener("open", () => {
      retry = FIRST_RETRY_MS;
      mark("connected");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // Not JSON: nothing this page understands.
      }
      if (!message || typeof message.type !== "string") return;
      if (message.type === "resync") channel.seq = message.seq;
      else if (typeof message.seq === "number") channel.seq = Math.max(channel.seq, message.seq);
      channel.listeners.forEach((listener) => listener(message));
    });
    socket.addEventListener("close", (event) => {
      if (FINAL_CLOSES.has(event.code)) {
        mark("refused");
        return;
      }
      mark("disconnected");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, LAST_RETRY_MS);
    });
  }

  connect();
  return channel;
}

// `listener(message)` hears every event of the project whose socket `element` names
// (`data-project-ws-url`, rendered at `data-project-seq`); `element.dataset.live` says whether
// the socket is "connected", "disconnected" (reconnecting) or "refused" (for good). A `resync`
// message means events were missed: fetch again.
export function projectEvents(element, listener) {
  const path = element.dataset.projectWsUrl;
  let channel = channels.get(path);
  if (!channel) {
    channel = channelOpen(path, Number(element.dataset.projectSeq || 0));
    channels.set(path, channel);
  }
  channel.listeners.add(listener);
  channel.elements.add(element);
  element.dataset.live = channel.state;
}

export function liveUpdates(tab, refresh) {
  const refreshSoon = coalesced(refresh);
  projectEvents(tab, (message) => {
    if (message.type === "resync") {
      refreshSoon();
      return;
    }
    // Who may see what changed (a role, the visibility): the list is fetched again too.
    const access = message.type === "project.access_changed";
    if (!access && !message.type.startsWith("resource.")) return;
    if (message.readable === false) {
      // Access was withdrawn: drop the row at once; the refresh confirms.
      document
        .querySelectorAll(`#blueprint-list [data-resource-id="${Number(message.resource)}"]`)
        .forEach((row) => row.remove());
    }
    refreshSoon();
  });
}
