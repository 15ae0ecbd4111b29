// Shared canvas: strokes drawn with the pointer, stored in the document's Y.Array "canvas" as one
// Y.Map per stroke or shape ({id, kind, points: [x0, y0, x1, y1, ...], color, width, author},
// docs/rooms.md). Coordinates are in the canvas's own pixels, whatever size it is shown at.
// Every change, local or remote, redraws the whole canvas from the array.
import * as Y from "yjs";

function draw(context, item) {
  const points = item.get("points") || [];
  if (points.length < 2) return;
  context.strokeStyle = context.fillStyle = item.get("color") || "#111827";
  context.lineWidth = item.get("width") || 3;
  context.lineCap = context.lineJoin = "round";
  const [x0, y0, x1 = x0, y1 = y0] = points;
  const kind = item.get("kind");
  context.beginPath();
  if (kind === "rect") {
    context.strokeRect(x0, y0, x1 - x0, y1 - y0);
    return;
  }
  if (kind === "ellipse") {
    const rx = Math.abs(x1 - x0) / 2;
    const ry = Math.abs(y1 - y0) / 2;
    context.ellipse((x0 + x1) / 2, (y0 + y1) / 2, rx, ry, 0, 0, 2 * Math.PI);
    context.stroke();
    return;
  }
  if (kind === "text") {
    context.fillText(String(item.get("text") || ""), x0, y0);
    return;
  }
  context.moveTo(x0, y0);
  for (let i = 2; i + 1 < points.length; i += 2) context.lineTo(points[i], points[i + 1]);
  if (points.length === 2) context.lineTo(x0 + 0.1, y0);
  context.stroke();
}

export function canvasBind(doc, { surface, color, width, undo, summary, author, texts }) {
  const shapes = doc.getArray("canvas");
  const context = surface.getContext("2d");
  let editable = false;
  let current = null;

  const render = () => {
    context.clearRect(0, 0, surface.width, surface.height);
    shapes.forEach((item) => item instanceof Y.Map && draw(context, item));
    if (current) draw(context, current.preview);
    const count = shapes.length;
    summary.textContent =
      count === 0
        ? texts.strokesNone
        : count === 1
          ? texts.strokesOne
          : texts.strokesOther.replace("{count}", count.toLocaleString(document.documentElement.lang));
    surface.dataset.strokes = String(count);
  };

  const at = (event) => {
    const box = surface.getBoundingClientRect();
    const x = ((event.clientX - box.left) * surface.width) / box.width;
    const y = ((event.clientY - box.top) * surface.height) / box.height;
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  };

  surface.addEventListener("pointerdown", (event) => {
    if (!editable || event.button !== 0) return;
    surface.setPointerCapture(event.pointerId);
    const preview = new Map([
      ["points", at(event)],
      ["color", color.value],
      ["width", Number(width.value)],
    ]);
    current = { preview };
    render();
  });
  surface.addEventListener("pointermove", (event) => {
    if (!current) return;
    current.preview.get("points").push(...at(event));
    render();
  });
  const finish = () => {
    if (!current) return;
    const { preview } = current;
    current = null;
    const stroke = new Y.Map(
      Object.entries({
        id: crypto.randomUUID(),
        kind: "stroke",
        points: preview.get("points"),
        color: preview.get("color"),
        width: preview.get("width"),
        author,
      }),
    );
    shapes.push([stroke]);
  };
  surface.addEventListener("pointerup", finish);
  surface.addEventListener("pointercancel", finish);

  undo.addEventListener("click", () => {
    for (let i = shapes.length - 1; i >= 0; i--) {
      const item = shapes.get(i);
      if (item instanceof Y.Map && item.get("author") === author) {
        shapes.delete(i, 1);
        return;
      }
    }
  });

  shapes.observeDeep(render);
  render();
  return {
    setEditable(value) {
      editable = value;
      color.disabled = width.disabled = undo.disabled = !value;
      surface.classList.toggle("canvas-surface--editable", value);
    },
  };
}
