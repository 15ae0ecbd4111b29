// The data page's progress bar: while an export is being made, ask the status endpoint every
// second and a half; once it is ready, show the download link (or reload if it failed).

const section = document.querySelector("[data-account-export]");

async function poll() {
  const response = await fetch(section.dataset.statusUrl, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const state = await response.json();
  section.dataset.state = state.state;
  section.querySelector("[data-export-progress]").value = state.progress;
  if (state.state === "pending" || state.state === "running") {
    setTimeout(poll, 1500);
  } else if (state.download_url) {
    section.querySelector("[data-export-running]").hidden = true;
    section.querySelector("[data-export-link]").href = state.download_url;
    section.querySelector("[data-export-ready]").hidden = false;
    section.querySelector("[data-export-start]").hidden = false;
  } else {
    window.location.reload();
  }
}

if (section && ["pending", "running"].includes(section.dataset.state)) {
  setTimeout(poll, 1000);
}
