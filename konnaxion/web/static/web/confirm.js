// Confirmation before destructive actions. Any <form data-confirm="question"> asks before it is
// submitted: a modal <dialog> (role alertdialog) shows the question with two buttons, "Cancel"
// (focused first) and the form's own submit text. Escape or Cancel keeps everything as it was;
// the form is submitted only after the second button, by the button that was pressed (so htmx
// forms and named submit buttons behave as without the dialog).
//
// The dialog's markup and its words come from base.html (<template id="confirm-dialog-template">),
// rendered in the page's language and direction. A form may override them with
// data-confirm-ok / data-confirm-cancel. Without JavaScript the form submits directly: actions
// that cannot be undone also ask on the server side (the purge form's checkbox).

const TEMPLATE_ID = "confirm-dialog-template";
const FOCUSABLE = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";
const confirmed = new WeakSet();

function fallbackDialog() {
  const dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
  dialog.innerHTML = `<form method="dialog" class="confirm-dialog__form">
    <p id="confirm-dialog-question" class="confirm-dialog__question" dir="auto" data-confirm-question></p>
    <div class="confirm-dialog__buttons">
      <button type="submit" value="cancel" class="button button--secondary" data-confirm-cancel>Cancel</button>
      <button type="submit" value="confirm" class="button button--danger" data-confirm-ok>Confirm</button>
    </div></form>`;
  return dialog;
}

function buildDialog() {
  const template = document.getElementById(TEMPLATE_ID);
  const dialog =
    template instanceof HTMLTemplateElement
      ? template.content.firstElementChild.cloneNode(true)
      : fallbackDialog();
  document.body.append(dialog);
  return dialog;
}

function submitText(submitter) {
  if (!submitter) return "";
  return (submitter instanceof HTMLInputElement ? submitter.value : submitter.textContent).trim();
}

// Keep Tab and Shift+Tab inside the dialog (showModal makes the page inert, but not the
// browser's own controls, which some screen readers and browsers still cycle through).
function trapFocus(dialog, event) {
  if (event.key !== "Tab") return;
  const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((item) => !item.disabled);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** Ask the form's question; resolves to true only when the confirming button was chosen. */
export function askConfirmation(form, submitter) {
  const dialog = buildDialog();
  const question = dialog.querySelector("[data-confirm-question]");
  const ok = dialog.querySelector("[data-confirm-ok]");
  const cancel = dialog.querySelector("[data-confirm-cancel]");
  question.textContent = form.dataset.confirm;
  ok.textContent = form.dataset.confirmOk || submitText(submitter) || ok.textContent;
  if (form.dataset.confirmCancel) cancel.textContent = form.dataset.confirmCancel;
  const returnFocus = submitter || form.querySelector(FOCUSABLE) || document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener("keydown", (event) => trapFocus(dialog, event));
    // Escape fires `cancel`, then `close` with an empty returnValue: a refusal.
    dialog.addEventListener(
      "close",
      () => {
        const accepted = dialog.returnValue === "confirm";
        dialog.remove();
        if (!accepted && returnFocus instanceof HTMLElement) returnFocus.focus();
        resolve(accepted);
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
    cancel.focus();
  });
}

document.addEventListener(
  "submit",
  async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
    if (confirmed.has(form)) {
      confirmed.delete(form);
      return;
    }
    // Captured on the document, before any listener of the form itself (htmx's among them).
    event.preventDefault();
    event.stopImmediatePropagation();
    const submitter = event.submitter instanceof HTMLElement ? event.submitter : null;
    if (await askConfirmation(form, submitter)) {
      confirmed.add(form);
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    }
  },
  true,
);
