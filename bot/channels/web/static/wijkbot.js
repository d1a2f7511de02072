// wijkbot web chat: no inline script (strict CSP). Sends the CSRF token with every htmx request,
// clears the input after sending and keeps the newest message in view.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf;
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (form && form.id === "ask" && event.detail.successful) {
    form.reset();
    document.getElementById("text").focus();
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var log = document.getElementById("log");
  if (log && event.detail.target === log) {
    var last = log.lastElementChild;
    if (last) { last.scrollIntoView({block: "start", behavior: "smooth"}); }
  }
});
document.addEventListener("keydown", function (event) {
  var box = document.getElementById("text");
  if (event.target === box && event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    box.form.requestSubmit();
  }
});
