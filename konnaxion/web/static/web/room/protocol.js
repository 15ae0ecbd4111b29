// Frames of the room socket: y-websocket's binary protocol (docs/rooms.md, "Frames").
// A sync frame is varuint 0, a varuint step (0 state vector, 1 answer, 2 update) and a
// length-prefixed payload; an awareness frame is varuint 1 and a length-prefixed awareness update.
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const STEP1 = 0;
export const STEP2 = 1;
export const UPDATE = 2;

function syncFrame(step, payload) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const step1Frame = (doc) => syncFrame(STEP1, Y.encodeStateVector(doc));
export const step2Frame = (doc, stateVector) =>
  syncFrame(STEP2, Y.encodeStateAsUpdate(doc, stateVector));
export const updateFrame = (update) => syncFrame(UPDATE, update);

// One local client's presence state (its name and colour), as an awareness frame.
export function awarenessFrame(clientId, clock, state) {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

// Apply one binary frame to `doc`. Returns the frame to send back (the answer to a sync step 1)
// or null, and whether the frame carried the document's state (a step 2).
export function frameReceive(doc, data, origin) {
  const decoder = decoding.createDecoder(new Uint8Array(data));
  const kind = decoding.readVarUint(decoder);
  if (kind !== MESSAGE_SYNC) return { answer: null, synced: false };
  const step = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (step === STEP1) return { answer: step2Frame(doc, payload), synced: false };
  Y.applyUpdate(doc, payload, origin);
  return { answer: null, synced: step === STEP2 };
}
