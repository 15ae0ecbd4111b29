// The 3D viewer of glTF, GLB and STL blueprints, drawn with three.js (vendored, see the import
// map). One element ([data-viewer3d], _viewer_3d.html) holds its controls, texts and sources:
// one model on a document page, or two versions ("old" and "new") overlaid on the diff page.
//
// Files come from the download endpoint with the visitor's session, read as a stream to show
// their progress, and are parsed in the page. Lengths are the file's own: glTF is in metres (its
// specification), STL has no unit and the millimetre is its convention; the page gives the unit
// (`data-unit`), as the figures of the diff page do. Nothing is scaled.
//
// Tests drive the viewer as a reader would (clicks on the canvas, keys, buttons); to know where
// a vertex is drawn they call `element.viewer.project([x, y, z])`, which returns the client
// coordinates of a model point, and read `element.viewer.state()` and
// `element.viewer.coverage()` (the share of the canvas the model covers, read back from WebGL).
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { STLLoader } from "three/addons/loaders/STLLoader.js";

const BACKGROUND = 0xf3f5f9;
const MODEL_COLOUR = 0x9aa3b5;
const OLD_COLOUR = 0xd9730d; // orange lines
const NEW_COLOUR = 0x1f5fbf; // blue surface
const MARKER_COLOUR = 0xa32020;
// A click that moved more than this is a drag (turning the model), not a pick.
const CLICK_SLOP_PIXELS = 4;
// A picked point this close to a corner of the triangle under it is that corner.
const SNAP_PIXELS = 12;
const KEY_ROTATE_RADIANS = Math.PI / 24;
const KEY_PAN_PIXELS = 24;
const KEY_ZOOM = 1.2;
const AXES = { x: new THREE.Vector3(1, 0, 0), y: new THREE.Vector3(0, 1, 0), z: new THREE.Vector3(0, 0, 1) };
// The bytes of the last models shown, by URL (each names its version): when the live part of a
// document page is swapped for a label or a comment count, the model is not downloaded again.
// Large files are not kept: the memory matters more than a second download.
const recentFiles = new Map();
const RECENT_FILES = 2;
const RECENT_FILE_MAX_BYTES = 32 * 1024 * 1024;

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

async function download(url, onBytes, signal) {
  if (recentFiles.has(url)) return recentFiles.get(url);
  const response = await fetch(url, { credentials: "same-origin", signal });
  if (!response.ok) throw new Error(`the download answered ${response.status}`);
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onBytes(received);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (received <= RECENT_FILE_MAX_BYTES) recentFiles.set(url, bytes.buffer);
  while (recentFiles.size > RECENT_FILES) recentFiles.delete(recentFiles.keys().next().value);
  return bytes.buffer;
}

// glTF buffers embedded as data: URIs, decoded here: the loader would fetch() them, which the
// pages' Content-Security-Policy refuses (connect-src 'self'). A buffer in another file cannot
// be read (a blueprint is one file), so it fails the model instead of being looked for.
class EmbeddedBuffers {
  constructor(parser) {
    this.name = "konnaxion_embedded_buffers";
    this.parser = parser;
    this.decoded = new Map();
  }

  loadBufferView(index) {
    const view = this.parser.json.bufferViews[index];
    const buffer = this.parser.json.buffers[view.buffer];
    if (buffer.uri === undefined) return null; // the GLB's own binary chunk
    if (!buffer.uri.startsWith("data:")) {
      return Promise.reject(new Error("a glTF buffer in another file"));
    }
    let bytes = this.decoded.get(view.buffer);
    if (!bytes) {
      const comma = buffer.uri.indexOf(",");
      const payload = buffer.uri.slice(comma + 1);
      if (buffer.uri.slice(0, comma).endsWith(";base64")) {
        const text = atob(payload);
        bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
      } else {
        bytes = new TextEncoder().encode(decodeURIComponent(payload));
      }
      this.decoded.set(view.buffer, bytes);
    }
    const start = view.byteOffset || 0;
    return Promise.resolve(bytes.slice(start, start + (view.byteLength || 0)).buffer);
  }
}

async function parseModel(bytes, fileFormat) {
  if (fileFormat === "stl") {
    const geometry = new STLLoader().parse(bytes);
    const positions = geometry.getAttribute("position");
    if (!positions || positions.count < 3) throw new Error("no triangles in this STL file");
    // Binary STL files often carry zero normals: light them from their faces.
    geometry.computeVertexNormals();
    const group = new THREE.Group();
    group.add(new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ color: MODEL_COLOUR })));
    return group;
  }
  const loader = new GLTFLoader();
  loader.register((parser) => new EmbeddedBuffers(parser));
  const gltf = await loader.parseAsync(bytes, "");
  let triangles = 0;
  gltf.scene.traverse((object) => {
    if (object.isMesh) triangles += 1;
  });
  if (!triangles) throw new Error("no meshes in this glTF file");
  return gltf.scene;
}

function meshesOf(object) {
  const meshes = [];
  object.traverse((child) => {
    if (child.isMesh) meshes.push(child);
  });
  return meshes;
}

function materialsOf(mesh) {
  return Array.isArray(mesh.material) ? mesh.material : [mesh.material];
}

function triangleCount(object) {
  return meshesOf(object).reduce((sum, mesh) => {
    const geometry = mesh.geometry;
    return sum + (geometry.index ? geometry.index.count : geometry.getAttribute("position").count) / 3;
  }, 0);
}

export class ModelViewer {
  constructor(root) {
    this.root = root;
    this.sources = JSON.parse(root.dataset.sources);
    this.unit = root.dataset.unit;
    this.text = root.dataset;
    this.numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: 2,
    });
    this.distances = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumSignificantDigits: 6,
    });
    this.part = (name) => root.querySelector(`[data-viewer3d-${name}]`);
    this.button = (action) => root.querySelector(`button[data-action="${action}"]`);
    this.aborted = new AbortController();
    this.models = new Map(); // role -> THREE.Object3D
    this.points = [];
    this.disposed = false;
    root.viewer = this;
    root.dataset.state = "idle";
    if (root.dataset.automatic === "true") {
      this.open();
    } else {
      const start = this.part("start");
      start.hidden = false;
      this.button("open").addEventListener("click", () => {
        start.hidden = true;
        this.open();
      });
    }
  }

  async open() {
    this.root.dataset.state = "loading";
    try {
      this.renderer = new THREE.WebGLRenderer({ canvas: this.root.querySelector("canvas"), antialias: true });
    } catch {
      this.fail(this.text.textNoWebgl);
      return;
    }
    const progress = this.part("progress");
    progress.max = this.sources.reduce((sum, source) => sum + source.size, 0) || 1;
    progress.hidden = false;
    const received = this.sources.map(() => 0);
    let parsed;
    try {
      const files = await Promise.all(
        this.sources.map((source, index) =>
          download(
            source.url,
            (bytes) => {
              received[index] = bytes;
              progress.value = received.reduce((a, b) => a + b, 0);
            },
            this.aborted.signal,
          ),
        ),
      );
      parsed = await Promise.all(files.map((bytes, index) => parseModel(bytes, this.sources[index].format)));
    } catch (error) {
      if (!this.disposed) this.fail(this.text.textFailed, error);
      return;
    } finally {
      progress.hidden = true;
    }
    if (this.disposed) return;
    this.build(parsed);
    this.part("stage").hidden = false;
    this.root.dataset.state = "ready";
    this.resize();
    this.reset();
    this.fillFigures();
  }

  fail(message, error) {
    this.root.dataset.state = "failed";
    const shown = this.part("error");
    shown.textContent = message;
    shown.hidden = false;
    if (error) console.warn("3D viewer:", error);
    // Nothing will be drawn: the WebGL context goes at once, not when the element leaves.
    this.renderer?.dispose();
    this.renderer?.forceContextLoss();
    this.renderer = null;
  }

  build(parsed) {
    const canvas = this.renderer.domElement;
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x667080, 2.2));
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
    if (this.root.dataset.up === "z") this.camera.up.set(0, 0, 1);
    const light = new THREE.DirectionalLight(0xffffff, 1.6);
    light.position.set(0.5, 1, 2);
    this.camera.add(light);
    this.scene.add(this.camera);
    parsed.forEach((model, index) => {
      const role = this.sources[index].role;
      this.dress(model, role);
      this.models.set(role, model);
      this.scene.add(model);
    });
    this.box = this.boundingBox();
    const size = this.box.getSize(new THREE.Vector3());
    this.radius = Math.max(size.length() / 2, 1e-6);
    this.camera.near = this.radius / 100;
    this.camera.far = this.radius * 1000;
    this.marks = new THREE.Group();
    this.scene.add(this.marks);
    this.plane = new THREE.Plane(new THREE.Vector3(-1, 0, 0), 0);
    this.raycaster = new THREE.Raycaster();

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.minDistance = this.radius * 0.05;
    this.controls.maxDistance = this.radius * 50;
    this.controls.addEventListener("change", () => this.requestRender());
    this.listen(canvas);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
  }

  // How each model is drawn: a lone model keeps its glTF materials (both faces shown, so that a
  // section shows the inside); on the diff page the older version is orange lines and the newer
  // a translucent blue surface, told apart by their shape as well as their colour.
  dress(model, role) {
    for (const mesh of meshesOf(model)) {
      const flat = !mesh.geometry.getAttribute("normal");
      if (role === "old") {
        // Drawn after the translucent surface (transparent objects come last, by renderOrder),
        // so that the lines stay orange where the newer version covers them.
        mesh.material = new THREE.MeshBasicMaterial({ color: OLD_COLOUR, wireframe: true, transparent: true });
        mesh.renderOrder = 1;
      } else if (role === "new") {
        mesh.material = new THREE.MeshStandardMaterial({
          color: NEW_COLOUR,
          transparent: true,
          opacity: 0.55,
          depthWrite: false,
          flatShading: flat,
        });
      }
      for (const material of materialsOf(mesh)) {
        material.side = THREE.DoubleSide;
        if (flat) material.flatShading = true;
        material.needsUpdate = true;
      }
      mesh.userData.solid = role !== "old";
    }
  }

  listen(canvas) {
    let down = null;
    canvas.addEventListener("pointerdown", (event) => {
      down = { x: event.clientX, y: event.clientY };
    });
    canvas.addEventListener("pointerup", (event) => {
      if (!down || !this.measuring) return;
      const moved = Math.hypot(event.clientX - down.x, event.clientY - down.y);
      down = null;
      if (moved <= CLICK_SLOP_PIXELS) this.pick(event.clientX, event.clientY);
    });
    canvas.addEventListener("keydown", (event) => this.key(event));
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button && this.scene) this.act(button);
    });
    this.part("section").addEventListener("input", () => this.placeSection());
  }

  key(event) {
    const controls = this.controls;
    const pan = event.shiftKey;
    switch (event.key) {
      case "ArrowLeft":
        pan ? controls.pan(KEY_PAN_PIXELS, 0) : controls.rotateLeft(KEY_ROTATE_RADIANS);
        break;
      case "ArrowRight":
        pan ? controls.pan(-KEY_PAN_PIXELS, 0) : controls.rotateLeft(-KEY_ROTATE_RADIANS);
        break;
      case "ArrowUp":
        pan ? controls.pan(0, KEY_PAN_PIXELS) : controls.rotateUp(KEY_ROTATE_RADIANS);
        break;
      case "ArrowDown":
        pan ? controls.pan(0, -KEY_PAN_PIXELS) : controls.rotateUp(-KEY_ROTATE_RADIANS);
        break;
      case "+":
      case "=":
        controls.dollyOut(KEY_ZOOM); // OrbitControls' "dolly out" brings the camera closer
        break;
      case "-":
      case "_":
        controls.dollyIn(KEY_ZOOM);
        break;
      case "Enter":
        if (!this.measuring) return;
        this.pickAtCentre();
        break;
      default:
        return;
    }
    event.preventDefault();
    this.requestRender();
  }

  act(button) {
    const action = button.dataset.action;
    if (action === "fit") this.fit();
    else if (action === "reset") this.reset();
    else if (action === "wireframe") this.setWireframe(!this.wireframe);
    else if (action === "section") this.setSection(!this.sectioned);
    else if (action === "measure") this.setMeasuring(!this.measuring);
    else if (action === "show") this.setShown(button.dataset.role, button.getAttribute("aria-pressed") !== "true");
  }

  press(action, on) {
    this.button(action)?.setAttribute("aria-pressed", String(on));
  }

  setWireframe(on) {
    this.wireframe = on;
    for (const model of this.models.values()) {
      for (const mesh of meshesOf(model)) {
        if (mesh.userData.solid) for (const material of materialsOf(mesh)) material.wireframe = on;
      }
    }
    this.press("wireframe", on);
    this.requestRender();
  }

  setSection(on) {
    this.sectioned = on;
    this.part("section").hidden = !on;
    this.renderer.clippingPlanes = on ? [this.plane] : [];
    if (on) this.placeSection();
    this.press("section", on);
    this.requestRender();
  }

  // The cut keeps what lies below the chosen share of the model's extent along the axis.
  placeSection() {
    const axis = this.root.querySelector("[data-section-axis]").value;
    const share = Number(this.root.querySelector("[data-section-position]").value) / 100;
    const low = this.box.min[axis];
    const high = this.box.max[axis];
    this.plane.normal.copy(AXES[axis]).negate();
    this.plane.constant = low + (high - low) * share;
    this.requestRender();
  }

  setMeasuring(on) {
    this.measuring = on;
    this.points = [];
    this.marks.clear();
    this.root.querySelector(".viewer3d-cross").hidden = !on;
    this.part("measure").textContent = on ? this.text.textMeasureFirst : "";
    this.press("measure", on);
    this.requestRender();
  }

  setShown(role, on) {
    const model = this.models.get(role);
    if (!model) return;
    model.visible = on;
    this.root.querySelector(`button[data-action="show"][data-role="${role}"]`)?.setAttribute("aria-pressed", String(on));
    this.requestRender();
  }

  pickAtCentre() {
    const rect = this.renderer.domElement.getBoundingClientRect();
    this.pick(rect.left + rect.width / 2, rect.top + rect.height / 2);
  }

  // The surface point under (clientX, clientY), or the corner of its triangle drawn within
  // SNAP_PIXELS of it, as the next end of the measure.
  pick(clientX, clientY) {
    const rect = this.renderer.domElement.getBoundingClientRect();
    const pointer = new THREE.Vector2(
      ((clientX - rect.left) / rect.width) * 2 - 1,
      -((clientY - rect.top) / rect.height) * 2 + 1,
    );
    this.raycaster.setFromCamera(pointer, this.camera);
    const visible = [...this.models.values()].filter((model) => model.visible);
    const hit = this.raycaster
      .intersectObjects(visible, true)
      .find((candidate) => !this.sectioned || this.plane.distanceToPoint(candidate.point) >= 0);
    if (!hit) return;
    let point = hit.point.clone();
    if (hit.face) {
      const positions = hit.object.geometry.getAttribute("position");
      let nearest = SNAP_PIXELS;
      for (const index of [hit.face.a, hit.face.b, hit.face.c]) {
        const corner = new THREE.Vector3().fromBufferAttribute(positions, index).applyMatrix4(hit.object.matrixWorld);
        const shown = this.project(corner);
        const away = Math.hypot(shown.x - clientX, shown.y - clientY);
        if (away <= nearest) {
          nearest = away;
          point = corner;
        }
      }
    }
    if (this.points.length === 2) {
      this.points = [];
      this.marks.clear();
    }
    this.points.push(point);
    this.mark(point);
    if (this.points.length === 1) {
      this.part("measure").textContent = this.text.textMeasureSecond;
    } else {
      const [a, b] = this.points;
      this.marks.add(
        new THREE.Line(
          new THREE.BufferGeometry().setFromPoints([a, b]),
          new THREE.LineBasicMaterial({ color: MARKER_COLOUR, depthTest: false }),
        ),
      );
      const number = this.distances.format(a.distanceTo(b));
      const length = this.unit ? format(this.text.textNumberUnit, { number, unit: this.unit }) : number;
      this.part("measure").textContent = format(this.text.textDistance, { distance: length });
    }
    this.requestRender();
  }

  mark(point) {
    const dot = new THREE.Mesh(
      new THREE.SphereGeometry(this.radius * 0.012, 12, 8),
      new THREE.MeshBasicMaterial({ color: MARKER_COLOUR, depthTest: false }),
    );
    dot.position.copy(point);
    dot.renderOrder = 1;
    this.marks.add(dot);
  }

  boundingBox() {
    const box = new THREE.Box3();
    for (const model of this.models.values()) {
      if (model.visible) box.expandByObject(model, true);
    }
    return box.isEmpty() ? this.box || box : box;
  }

  // Frames what is shown, looking from where the camera is.
  fit(direction) {
    const box = this.boundingBox();
    const centre = box.getCenter(new THREE.Vector3());
    const radius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 1e-6);
    const view = direction || this.camera.position.clone().sub(this.controls.target);
    if (view.lengthSq() === 0) view.set(1, 1, 1);
    const vertical = THREE.MathUtils.degToRad(this.camera.fov);
    const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * this.camera.aspect);
    const distance = (radius / Math.sin(Math.min(vertical, horizontal) / 2)) * 1.05;
    this.controls.target.copy(centre);
    this.camera.position.copy(centre).addScaledVector(view.normalize(), distance);
    this.controls.update();
    this.requestRender();
  }

  // Back to the first view: every version shown, no wireframe, no section, no measure.
  reset() {
    for (const role of this.models.keys()) this.setShown(role, true);
    this.setWireframe(false);
    this.setSection(false);
    this.setMeasuring(false);
    const up = this.camera.up;
    this.fit(up.z === 1 ? new THREE.Vector3(1, -1.4, 0.9) : new THREE.Vector3(1, 0.9, 1.4));
  }

  // The figures the server's analysis did not give yet (the index is still reading this version).
  fillFigures() {
    const model = this.models.get("model");
    if (!model) return;
    const size = new THREE.Box3().setFromObject(model, true).getSize(new THREE.Vector3());
    const numbers = [size.x, size.y, size.z].map((value) => this.numbers.format(value)).join(" × ");
    const values = {
      size: this.unit ? format(this.text.textNumberUnit, { number: numbers, unit: this.unit }) : numbers,
      triangles: this.numbers.format(triangleCount(model)),
    };
    for (const figure of this.root.querySelectorAll("[data-figure][data-unknown]")) {
      if (values[figure.dataset.figure]) figure.textContent = values[figure.dataset.figure];
    }
  }

  resize() {
    if (!this.renderer || this.disposed) return;
    const canvas = this.renderer.domElement;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender() {
    if (this.frame || this.disposed || !this.scene) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    if (this.disposed) return;
    this.renderer.render(this.scene, this.camera);
  }

  // Client coordinates where the model point [x, y, z] is drawn.
  project(point) {
    const vector = Array.isArray(point) ? new THREE.Vector3(...point) : point.clone();
    this.camera.updateMatrixWorld();
    vector.project(this.camera);
    const rect = this.renderer.domElement.getBoundingClientRect();
    return { x: rect.left + ((vector.x + 1) / 2) * rect.width, y: rect.top + ((1 - vector.y) / 2) * rect.height };
  }

  state() {
    const box = this.boundingBox();
    return {
      wireframe: Boolean(this.wireframe),
      sectioned: Boolean(this.sectioned),
      clippingPlanes: this.renderer.clippingPlanes.length,
      measuring: Boolean(this.measuring),
      points: this.points.map((point) => point.toArray()),
      shown: Object.fromEntries([...this.models].map(([role, model]) => [role, model.visible])),
      box: { min: box.min.toArray(), max: box.max.toArray() },
      camera: this.camera.position.toArray(),
      target: this.controls.target.toArray(),
      disposed: this.disposed,
    };
  }

  // The share of the canvas's pixels that are not the background, read back right after drawing.
  coverage() {
    this.render();
    const gl = this.renderer.getContext();
    const width = gl.drawingBufferWidth;
    const height = gl.drawingBufferHeight;
    const pixels = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    const [r, g, b] = [16, 8, 0].map((shift) => (BACKGROUND >> shift) & 0xff);
    let covered = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) > 6) covered += 1;
    }
    return covered / (width * height);
  }

  // Frees the WebGL context and the GPU memory, stops the downloads: the element left the page.
  dispose() {
    this.disposed = true;
    this.aborted.abort();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver?.disconnect();
    this.controls?.dispose();
    this.scene?.traverse((object) => {
      object.geometry?.dispose();
      if (object.material) for (const material of [object.material].flat()) material.dispose();
    });
    if (this.renderer) {
      this.renderer.dispose();
      this.renderer.forceContextLoss();
    }
  }
}
