// Project pages: after htmx replaces a section (the team), keyboard and screen-reader users
// land on what changed: the message the server sent, else the first field in error, else the
// section's heading. Without this, focus would fall back to the top of the page.
document.addEventListener("htmx:afterSettle", (event) => {
  const section = event.detail.elt.isConnected
    ? event.detail.elt
    : document.getElementById(event.detail.elt.id);
  if (!section) return;
  const target =
    section.querySelector("[data-focus-after-swap]") ||
    section.querySelector('[aria-invalid="true"]') ||
    section.querySelector("h2[tabindex]");
  if (target) target.focus();
});
