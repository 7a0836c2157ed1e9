// Staff import pages: a long check or write must not be submitted twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var text = form.getAttribute("data-busy-text");
  if (!text) { return; }
  if (form.dataset.busy === "1") { event.preventDefault(); return; }
  form.dataset.busy = "1";
  var button = form.querySelector("button[type=submit]");
  if (button) {
    button.disabled = true;
    button.textContent = text;
  }
});
