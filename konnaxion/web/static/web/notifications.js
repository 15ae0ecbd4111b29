// The header's bell, kept live over /ws/notifications/ (docs/notifications.md). The server
// renders the count (the link works without JavaScript); the socket then sends
// `{type: "count", unread}` whenever the count changes and
// `{type: "notification", unread, notification: {text, ...}}` when one arrives, its text already
// in the reader's language; that text is read out by the polite live region beside the bell.

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30000;
// Refusals (docs/notifications.md): not signed in any more (4401), and the generic forbidden and
// not found codes; reconnecting cannot help.
const FINAL_CLOSES = new Set([4401, 4403, 4404]);

function start(bell) {
  const count = bell.querySelector("[data-notification-count]");
  const live = document.querySelector("[data-notification-live]");
  let retry = FIRST_RETRY_MS;

  function show(unread) {
    const number = Number(unread) || 0;
    count.textContent = String(number);
    count.hidden = number === 0;
    bell.setAttribute(
      "aria-label",
      number === 0
        ? bell.dataset.labelNone
        : bell.dataset.labelSome.replace("{count}", String(number)),
    );
    bell.dataset.unread = String(number);
  }

  function announce(text) {
    if (!live || typeof text !== "string") return;
    // Emptied first, so the same sentence twice is announced twice.
    live.textContent = "";
    window.setTimeout(() => {
      live.textContent = text;
    }, 50);
  }

  function received(message) {
    if (message.type === "count") {
      show(message.unread);
    } else if (message.type === "notification") {
      show(message.unread);
      announce(message.notification && message.notification.text);
    }
  }

  function connect() {
    const url = new URL("/ws/notifications/", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url.href);
    socket.addEventListener("open", () => {
      retry = FIRST_RETRY_MS;
      bell.dataset.live = "connected";
    });
    socket.addEventListener("message", (event) => {
      try {
        received(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing the bell understands.
      }
    });
    socket.addEventListener("close", (event) => {
      if (FINAL_CLOSES.has(event.code)) {
        // The count the server rendered stays; the bell's link still leads to the list.
        bell.dataset.live = "refused";
        return;
      }
      // Dropped (1006) or Redis failing (1013): try again, less and less often.
      bell.dataset.live = "disconnected";
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, LAST_RETRY_MS);
    });
  }

  connect();
}

const bell = document.querySelector("[data-notification-bell]");
if (bell && "WebSocket" in window) start(bell);
