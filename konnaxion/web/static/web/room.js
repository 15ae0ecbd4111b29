// The live room of /connect/workspaces/<id>/: one WebSocket (docs/rooms.md) carries the chat
// (JSON), the presence of who is here (JSON, from the server) and the shared Yjs document
// (binary frames) holding the notes and the canvas.
import * as Y from "yjs";
import { canvasBind } from "./room/canvas.js";
import { notesBind } from "./room/notes.js";
import { awarenessFrame, frameReceive, step1Frame, updateFrame } from "./room/protocol.js";

const REMOTE = "room-socket";
const RECONNECT_MS = 2000;
// Close codes after which reconnecting cannot help: not signed in, not allowed, room full.
const FINAL_CLOSES = new Set([4401, 4403, 4404, 4409]);

const root = document.getElementById("room");
const texts = Object.fromEntries(
  Object.entries(root.dataset)
    .filter(([key]) => key.startsWith("t") && key.length > 1 && key[1] === key[1].toUpperCase())
    .map(([key, value]) => [key[1].toLowerCase() + key.slice(2), value]),
);
const me = root.dataset.user;
const wantsViewer = root.dataset.viewer === "true";
const status = document.getElementById("room-status");
const fullNotice = document.getElementById("room-full");
const chatLog = document.getElementById("chat-log");
const chatForm = document.getElementById("chat-form");
const chatInput = document.getElementById("chat-input");
const chatSend = chatForm.querySelector("button");
const earlier = document.getElementById("chat-earlier");
const notes = document.getElementById("room-notes");
const presenceList = document.getElementById("room-presence");

const doc = new Y.Doc();
const notesBinding = notesBind(doc, notes);
const canvas = canvasBind(doc, {
  surface: document.getElementById("room-canvas-surface"),
  color: document.getElementById("canvas-color"),
  width: document.getElementById("canvas-width"),
  undo: document.getElementById("canvas-undo"),
  summary: document.getElementById("canvas-summary"),
  author: me,
  texts,
});

let socket = null;
let role = null;
let heartbeat = null;
let awarenessClock = 0;
const present = new Map(); // username -> {role, connections}

function setStatus(message) {
  status.textContent = message;
}

function setEditable(value) {
  notes.disabled = !value;
  chatInput.disabled = chatSend.disabled = !value;
  canvas.setEditable(value);
}

// Who is here -------------------------------------------------------------------------------

function renderPresence() {
  presenceList.replaceChildren();
  for (const [name, entry] of [...present.entries()].sort()) {
    const item = document.createElement("li");
    item.dataset.user = name;
    item.textContent = name === me ? `${name} ${texts.you}` : name;
    if (entry.role === "viewer") item.textContent += ` · ${texts.viewerRole}`;
    presenceList.append(item);
  }
  if (present.size <= 1) {
    const item = document.createElement("li");
    item.className = "muted";
    item.textContent = texts.nobody;
    presenceList.append(item);
  }
}

function presenceChange(event) {
  const entry = present.get(event.user) || { role: event.role, connections: 0 };
  if (event.event === "left") entry.connections -= 1;
  else {
    entry.connections += 1;
    if (event.role === "editor") entry.role = "editor";
  }
  if (entry.connections > 0) present.set(event.user, entry);
  else present.delete(event.user);
  renderPresence();
}

// Chat --------------------------------------------------------------------------------------

// A message's time, in the reader's time zone and language: the same for messages that came
// live and for those the page was rendered with (see chatTimesLocalise).
function chatTime(isoDate) {
  return new Date(isoDate).toLocaleTimeString(document.documentElement.lang, {
    hour: "2-digit",
    minute: "2-digit",
  });
}

function chatTimesLocalise() {
  for (const time of chatLog.querySelectorAll("time[datetime]")) {
    time.textContent = chatTime(time.dateTime);
  }
}

function chatItem(message) {
  const item = document.createElement("li");
  item.dataset.id = String(message.id);
  const author = document.createElement("strong");
  author.className = "chat-author";
  const name = document.createElement("bdi");
  name.textContent = message.author;
  author.append(name);
  const time = document.createElement("time");
  time.dateTime = message.created_at;
  time.textContent = chatTime(message.created_at);
  const body = document.createElement("p");
  body.className = "chat-body";
  body.dir = "auto";
  body.textContent = message.body;
  item.append(author, " ", time, body);
  return item;
}

chatTimesLocalise();

function chatAdd(messages) {
  for (const message of messages) {
    if (chatLog.querySelector(`li[data-id="${message.id}"]`)) continue;
    const later = [...chatLog.children].find((li) => Number(li.dataset.id) > message.id);
    chatLog.insertBefore(chatItem(message), later || null);
  }
  chatLog.scrollTop = chatLog.scrollHeight;
}

chatForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = chatInput.value.trim();
  if (!body || !socket || socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: "chat", body }));
  chatInput.value = "";
});

earlier?.addEventListener("click", () => {
  const first = chatLog.querySelector("li[data-id]");
  if (socket?.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "chat_history", before: first ? Number(first.dataset.id) : undefined }));
  }
});

// The end of the session -------------------------------------------------------------------

// The host ended the room (or it ended idle): read-only from now on, for everyone connected.
// Forms that only an open room takes (invite, end) go away; the socket stays, as a viewer's.
function sessionEnded() {
  root.dataset.ended = "true";
  role = "viewer";
  setEditable(false);
  setStatus(texts.ended);
  const badge = document.getElementById("room-badge");
  if (badge && badge.dataset.tEnded) {
    badge.textContent = badge.dataset.tEnded;
    badge.className = "badge badge--archived";
  }
  for (const form of document.querySelectorAll("form[data-open-only]")) form.remove();
}

// The socket --------------------------------------------------------------------------------

doc.on("update", (update, origin) => {
  if (origin !== REMOTE && role === "editor" && socket?.readyState === WebSocket.OPEN) {
    socket.send(updateFrame(update));
  }
});

function onJson(message) {
  switch (message.type) {
    case "welcome":
      role = message.role;
      present.clear();
      present.set(me, { role, connections: 1 });
      renderPresence();
      setStatus(root.dataset.ended === "true" ? texts.ended : role === "editor" ? texts.editor : texts.viewer);
      setEditable(role === "editor");
      socket.send(step1Frame(doc));
      socket.send(awarenessFrame(doc.clientID, ++awarenessClock, { user: { name: me } }));
      socket.send(JSON.stringify({ type: "chat_history" }));
      // Editors keep their place with it; viewers too are answered with what they missed.
      heartbeat = setInterval(
        () => socket.send(JSON.stringify({ type: "heartbeat" })),
        message.heartbeat_seconds * 1000,
      );
      break;
    case "presence":
      presenceChange(message);
      break;
    case "chat":
      chatAdd([message.message]);
      break;
    case "chat_history":
      chatAdd(message.messages);
      if (earlier && !message.has_more && message.messages.length) earlier.hidden = true;
      break;
    case "session_ended":
      sessionEnded();
      break;
    case "error":
      if (message.code === "room_full") {
        fullNotice.hidden = false;
        setEditable(false);
      } else {
        setStatus(`${texts.error} ${message.message || message.code}`);
      }
      break;
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = wantsViewer ? "?role=viewer" : "";
  socket = new WebSocket(`${scheme}//${location.host}${root.dataset.socket}${query}`);
  socket.binaryType = "arraybuffer";
  setStatus(texts.connecting);
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") {
      onJson(JSON.parse(event.data));
      return;
    }
    const { answer, synced } = frameReceive(doc, event.data, REMOTE);
    if (answer && role === "editor") socket.send(answer);
    if (synced) notesBinding.bind();
  });
  socket.addEventListener("close", (event) => {
    clearInterval(heartbeat);
    role = null;
    setEditable(false);
    present.clear();
    renderPresence();
    if (event.code === 4409) {
      fullNotice.hidden = false;
      setStatus("");
    } else if (FINAL_CLOSES.has(event.code)) {
      setStatus(texts.refused);
    } else {
      setStatus(texts.closed);
      setTimeout(connect, RECONNECT_MS);
    }
  });
}

connect();
