// Shared notes: a <textarea> bound to the document's notes.
//
// The schema keeps the notes as a Y.XmlFragment "notes" of paragraphs (the rich-text layout of
// y-prosemirror / TipTap, docs/rooms.md). This plain-text binding edits the Y.XmlText of the
// first paragraph (created when the notes are empty), new lines included: a Y.XmlText is a
// Y.Text, so each edit is a precise insert/delete found by comparing the old and new values,
// and remote changes are replayed on the textarea while keeping the caret where it was.
// A rich-text editor can replace this later on the same fragment.
import * as Y from "yjs";

const LOCAL = "notes-textarea";

function plain(text) {
  return text
    .toDelta()
    .map((op) => (typeof op.insert === "string" ? op.insert : ""))
    .join("");
}

function firstParagraphText(fragment) {
  const paragraph = fragment.toArray().find((node) => node instanceof Y.XmlElement);
  if (!paragraph) return null;
  return paragraph.toArray().find((node) => node instanceof Y.XmlText) || null;
}

function moved(position, delta) {
  let index = 0;
  for (const op of delta) {
    if (index > position) break;
    if (op.retain) index += op.retain;
    else if (op.insert) {
      const length = typeof op.insert === "string" ? op.insert.length : 1;
      position += length;
      index += length;
    } else if (op.delete) position = Math.max(index, position - Math.min(op.delete, position - index));
  }
  return position;
}

export function notesBind(doc, textarea) {
  const fragment = doc.getXmlFragment("notes");
  let text = null;
  let shown = "";

  const observer = (event) => {
    if (event.transaction.origin === LOCAL) return;
    const start = moved(textarea.selectionStart, event.delta);
    const end = moved(textarea.selectionEnd, event.delta);
    shown = plain(text);
    textarea.value = shown;
    if (document.activeElement === textarea) textarea.setSelectionRange(start, end);
  };

  const bind = () => {
    const current = firstParagraphText(fragment);
    if (current === text) return;
    if (text) text.unobserve(observer);
    text = current;
    shown = text ? plain(text) : "";
    textarea.value = shown;
    if (text) text.observe(observer);
  };

  const ensureParagraph = () => {
    if (firstParagraphText(fragment)) return;
    doc.transact(() => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText()]);
      fragment.insert(fragment.length, [paragraph]);
    }, LOCAL);
  };

  textarea.addEventListener("input", () => {
    if (!text) {
      // The first words in empty notes: create the paragraph, keep what was typed.
      ensureParagraph();
      text = firstParagraphText(fragment);
      text.observe(observer);
      shown = plain(text);
    }
    const next = textarea.value;
    let prefix = 0;
    while (prefix < shown.length && prefix < next.length && shown[prefix] === next[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < shown.length - prefix &&
      suffix < next.length - prefix &&
      shown[shown.length - 1 - suffix] === next[next.length - 1 - suffix]
    )
      suffix++;
    doc.transact(() => {
      const removed = shown.length - prefix - suffix;
      if (removed > 0) text.delete(prefix, removed);
      const added = next.slice(prefix, next.length - suffix);
      if (added) text.insert(prefix, added);
    }, LOCAL);
    shown = next;
  });

  fragment.observe((event) => {
    if (event.transaction.origin !== LOCAL) bind();
  });
  return { bind };
}
