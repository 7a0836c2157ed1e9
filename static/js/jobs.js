// Polls a document job's status and shows its progress, the error or the download link.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector("[data-testid=job-progress]");
  var status = box.querySelector("[data-testid=job-status]");
  var error = box.querySelector("[data-testid=job-error]");
  var download = box.querySelector("[data-testid=job-download]");
  var retry = box.querySelector("[data-testid=job-retry]");
  var notice = box.querySelector("[data-testid=job-notice]");
  function show(data) {
    bar.style.width = data.progress + "%";
    bar.textContent = data.progress + " %";
    bar.parentNode.setAttribute("aria-valuenow", data.progress);
    status.textContent = data.status_display;
    notice.textContent = data.notice || "";
    notice.classList.toggle("d-none", !data.notice);
    if (data.status === "failed") {
      error.textContent = data.message;
      error.classList.remove("d-none");
      retry.classList.remove("d-none");
    }
    if (data.status === "done" && data.download_url) {
      download.href = data.download_url;
      download.classList.remove("d-none");
      retry.classList.remove("d-none");
    }
    return data.status === "done" || data.status === "failed";
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (!show(data)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
